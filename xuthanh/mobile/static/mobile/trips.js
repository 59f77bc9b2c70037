/* Trips: planned online with /api/v1/trips, saved on the device, and today's timeline with the next stop and
   the time to leave for it. Times are local to Thanh Hóa (UTC+7). */
import { localDay } from "./hours.js";
import { answer } from "./ui.js";

export async function plan(api, request) {
  const response = await fetch(`${api}trips`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(request),
  });
  return answer(response);
}

/* A shared trip, with its place names, reasons and explanation in the app’s language (the API re-says them). */
export async function fetchTrip(api, token, lang) {
  const query = lang ? `?lang=${encodeURIComponent(lang)}` : "";
  const response = await fetch(`${api}trips/${encodeURIComponent(token)}${query}`, { headers: { Accept: "application/json" } });
  return answer(response);
}

function minutes(hhmm) {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

export function hhmm(total) {
  const t = ((total % 1440) + 1440) % 1440;
  return String(Math.floor(t / 60)).padStart(2, "0") + ":" + String(t % 60).padStart(2, "0");
}

/* The day to show: today's day of the trip, or the next one, or the first. */
export function currentDay(trip, now = new Date()) {
  const days = (trip.plan && trip.plan.days) || [];
  const today = localDay(now).iso;
  return days.find((d) => d.date === today) || days.find((d) => d.date > today) || days[0] || null;
}

/* For a day: index of the stop being visited now (or -1), index of the next stop (or -1), when to leave for
   the next one (its arrival minus the travel time) and whether that time has passed (`late`: leave now), all
   for `now` when the day is today. */
export function timeline(day, now = new Date()) {
  const local = localDay(now);
  if (!day) return { current: -1, next: -1, leaveAt: null, late: false };
  if (day.date !== local.iso) return { current: -1, next: day.date > local.iso ? 0 : -1, leaveAt: null, late: false, today: false };
  const stops = day.stops;
  let current = -1;
  let next = -1;
  for (let i = 0; i < stops.length; i++) {
    const start = minutes(stops[i].arrive);
    const end = minutes(stops[i].leave);
    if (start <= local.minute && local.minute < end) current = i;
    if (start > local.minute && next === -1) next = i;
  }
  const leave = next >= 0 ? minutes(stops[next].arrive) - stops[next].travel_minutes : null;
  const leaveAt = leave === null ? null : hhmm(leave);
  return { current, next, leaveAt, late: leave !== null && leave <= local.minute, today: true };
}
