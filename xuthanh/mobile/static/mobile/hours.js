/* "Open now" offline, as xuthanh/core/hours.py evaluates it: rules apply in order and a later matching rule
   replaces an earlier one for that date; intervals may pass midnight and then count for the night after;
   closed dates and "always open" win. Times are in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). */
const OFFSET_MS = 7 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export function localDay(date = new Date()) {
  const t = new Date(date.getTime() + OFFSET_MS);
  return {
    iso: t.toISOString().slice(0, 10),
    month: t.getUTCMonth() + 1,
    day: t.getUTCDate(),
    weekday: (t.getUTCDay() + 6) % 7, // 0 = Monday, as in Python
    minute: t.getUTCHours() * 60 + t.getUTCMinutes(),
    time: t,
  };
}

function inSeason(day, season) {
  const key = day.month * 100 + day.day;
  const start = season[0][0] * 100 + season[0][1];
  const end = season[1][0] * 100 + season[1][1];
  return start <= end ? start <= key && key <= end : key >= start || key <= end;
}

export function intervalsOn(hours, day) {
  if (!hours) return [];
  if ((hours.closed || []).includes(day.iso)) return [];
  if (hours.always) return [[0, 1440]];
  let current = [];
  for (const [weekdays, season, intervals] of hours.rules || []) {
    if (weekdays.includes(String(day.weekday)) && (!season || inSeason(day, season))) current = intervals;
  }
  return current;
}

/* true/false, or null when the hours are unknown. */
export function isOpen(hours, date = new Date()) {
  if (!hours || (!hours.always && !(hours.rules || []).length)) return null;
  const today = localDay(date);
  if (intervalsOn(hours, today).some(([s, e]) => s <= today.minute && today.minute < e)) return true;
  const yesterday = localDay(new Date(date.getTime() - DAY_MS));
  const minute = today.minute + 1440;
  return intervalsOn(hours, yesterday).some(([s, e]) => s <= minute && minute < e);
}

export function todayIso(date = new Date()) {
  return localDay(date).iso;
}

/* Events happening on a day (ISO date): an occurrence [start, end] covers it. */
export function happensOn(event, iso) {
  return (event.dates || []).some(([start, end]) => start <= iso && iso <= end);
}

export function nextDates(event, iso) {
  return (event.dates || []).find(([, end]) => end >= iso) || null;
}

function hhmm(minutes) {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/* The next seven days' opening times, for people rather than as the stored rule ("Mo-Su 07:00-17:30"):
   [{iso, weekday (in `lang`), intervals: ["07:00–11:30", …] (empty: closed), today}], from today on, in
   Thanh Hóa's time. `null` when the hours are unknown. `everyDay` is the intervals when all seven agree. */
export function weekHours(hours, lang, date = new Date()) {
  if (!hours || (!hours.always && !(hours.rules || []).length)) return null;
  let names;
  try {
    names = new Intl.DateTimeFormat(lang, { weekday: "short", timeZone: "UTC" });
  } catch {
    names = new Intl.DateTimeFormat("en", { weekday: "short", timeZone: "UTC" });
  }
  const days = [];
  for (let i = 0; i < 7; i += 1) {
    const day = localDay(new Date(date.getTime() + i * DAY_MS));
    const intervals = intervalsOn(hours, day).map(([s, e]) => (e - s >= 1440 ? "00:00–24:00" : `${hhmm(s)}–${hhmm(e)}`));
    days.push({ iso: day.iso, weekday: names.format(day.time), intervals, today: i === 0 });
  }
  const first = JSON.stringify(days[0].intervals);
  const everyDay = days.every((d) => JSON.stringify(d.intervals) === first) ? days[0].intervals : null;
  return { days, everyDay };
}
