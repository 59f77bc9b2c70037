/* The app's screens. Each one renders into <main> from the offline store (state), and adds what the network
   offers when online. Every string goes through gettext (djangojs catalogue). */
import * as areas from "./areas.js";
import { fold, search } from "./fold.js";
import { byDistance, directionsUrl, lastPosition, locate } from "./geo.js";
import { happensOn, isOpen, nextDates, todayIso, weekHours } from "./hours.js";
import { gettext, interpolate, ngettext } from "./i18n.js";
import { showMap } from "./map.js";
import * as store from "./store.js";
import * as trips from "./trips.js";
import { bytes, dateLabel, explain, h, kindLabel, km, openBadge, photo, spanLabel, toast, vnd } from "./ui.js";

const PLACE_KINDS = ["attraction", "accommodation", "food", "shopping", "transport", "service"];

function placeItem(p, extra) {
  return h("li", { class: "card" },
    h("a", { href: `#/place/${p.slug}` }, p.name),
    h("span", { class: "meta" }, kindLabel(p.kind), " · ", p.commune_name, extra ? [" · ", extra] : null, " ", openBadge(isOpen(p.hours))));
}

/* A one-off edition whose last day has passed (the 2025 festival, searched in 2026). */
export function isOver(e, today) {
  return Boolean(e.edition_end) && e.edition_end < today;
}

function eventItem(e, today) {
  const span = nextDates(e, today);
  return h("li", { class: "card" },
    h("a", { href: `#/event/${e.slug}` }, e.name),
    h("span", { class: "meta" }, span ? spanLabel(span) : isOver(e, today) ? gettext("This edition is over") : gettext("No date in the next 12 months"),
      e.lunar ? [" · ", interpolate(gettext("%(day)s/%(month)s lunar"), { day: e.lunar[0], month: e.lunar[1] })] : null));
}

function list(items, render, empty) {
  if (!items.length) return h("p", { class: "empty" }, empty);
  return h("ul", { class: "cards" }, items.map(render));
}

function section(id, title, ...content) {
  return h("section", { "aria-labelledby": id }, h("h2", { id }, title), ...content);
}

function noData(state) {
  if (state.places.length) return null;
  if (!navigator.onLine) return h("p", { class: "notice" }, gettext("No offline data yet: connect to the internet once to download the guide."));
  if (state.syncError) {
    // A first download that failed on a weak signal: said plainly, retried by the app, and by a tap.
    return h("div", { class: "notice", id: "no-data" },
      h("p", {}, gettext("The guide could not be downloaded yet. The app tries again by itself."), " ", explain(state.syncError)),
      h("button", { type: "button", onclick: () => state.retrySync() }, gettext("Try again now")));
  }
  return h("p", { class: "notice" }, gettext("Downloading the guide for offline use…"));
}

/* Keep saved trips and areas when the phone runs short of space (granted without a question on Android). */
function keepStorage() {
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
}

/* What to tell about the next stop: leave at a time to come, or now when that time has passed. */
function leaveLabel(t) {
  if (!t.leaveAt) return gettext("Next stop");
  return t.late ? interpolate(gettext("Next stop: leave now (planned %(time)s)"), { time: t.leaveAt })
    : interpolate(gettext("Next stop: leave at %(time)s"), { time: t.leaveAt });
}

/* A stop's name in the app's language when the place is in the offline catalogue (a shared trip keeps the
   language it was planned in). */
function stopName(state, stop) {
  const known = stop.place ? bySlug(state, "places", stop.place) : null;
  return known ? known.name : stop.name;
}

function bySlug(state, kind, slug) {
  return state[kind].find((item) => item.slug === slug) || null;
}

// ---- home ------------------------------------------------------------------------------------------------

function nearMe(state) {
  const out = h("div", { id: "near-results" });
  const openOnly = h("input", { type: "checkbox", id: "near-open" });
  const draw = (position) => {
    let places = byDistance(state.places, position, 60);
    if (openOnly.checked) places = places.filter(([, p]) => isOpen(p.hours) === true);
    out.replaceChildren(list(places.slice(0, 12), ([d, p]) => placeItem(p, km(d)), gettext("No place open nearby right now.")),
      places.length ? h("p", {}, h("a", { class: "button", href: "#/map?near=1" }, gettext("Show them on the map"))) : null);
  };
  const button = h("button", { type: "button", class: "primary", onclick: async () => {
    out.replaceChildren(h("p", { role: "status" }, gettext("Finding where you are…")));
    try { draw(await locate()); } catch (error) {
      out.replaceChildren(h("p", { class: "notice", role: "status" }, gettext("Your location is not available. Allow location for this site in your browser, or search by name.")));
    }
  } }, gettext("Find places near me"));
  openOnly.addEventListener("change", () => { if (lastPosition()) draw(lastPosition()); });
  return section("h-near", gettext("Near me"),
    h("p", { class: "hint" }, gettext("Your location stays on this phone.")),
    h("div", { class: "row" }, button, h("label", { for: "near-open", class: "check" }, openOnly, gettext("Open now"))),
    out);
}

async function myDay(state) {
  const today = todayIso();
  const saved = store.available() ? await store.all("trips") : [];
  const parts = [];
  for (const trip of saved) {
    const day = (trip.plan.days || []).find((d) => d.date === today);
    if (!day) continue;
    const t = trips.timeline(day);
    const next = t.next >= 0 ? day.stops[t.next] : null;
    const name = next ? stopName(state, next) : "";
    parts.push(h("p", { class: next && t.late ? "myday late" : "myday" },
      h("a", { href: `#/trip/${trip.token}` }, tripTitle(trip)), ": ",
      !next ? gettext("no more stops today")
        : t.late ? interpolate(gettext("next stop %(name)s at %(time)s — leave now"), { name, time: next.arrive })
          : interpolate(gettext("next stop %(name)s at %(time)s — leave at %(leave)s"), { name, time: next.arrive, leave: t.leaveAt })));
  }
  const events = state.events.filter((e) => happensOn(e, today));
  const favOpen = state.places.filter((p) => state.favourites.has(p.slug) && isOpen(p.hours) === true);
  return section("h-myday", gettext("My day"),
    parts,
    h("h3", {}, gettext("On today")),
    list(events, (e) => eventItem(e, today), gettext("No festival or event today.")),
    favOpen.length ? [h("h3", {}, gettext("Favourites open now")), list(favOpen, (p) => placeItem(p))] : null);
}

export async function home(state) {
  const recent = store.available() ? (await store.all("recent")).sort((a, b) => b.at - a.at).slice(0, 8) : [];
  const favourites = state.places.filter((p) => state.favourites.has(p.slug));
  const today = todayIso();
  const upcoming = state.events.filter((e) => nextDates(e, today)).sort((a, b) => nextDates(a, today)[0].localeCompare(nextDates(b, today)[0])).slice(0, 3);
  return [
    h("h1", {}, gettext("Discover Thanh Hóa")),
    noData(state),
    state.installPrompt ? h("button", { type: "button", class: "install", onclick: () => state.install() }, gettext("Install the app")) : null,
    nearMe(state),
    h("p", {}, h("a", { class: "button", href: "#/guide" }, gettext("Audio tours"))),
    await myDay(state),
    section("h-next", gettext("Coming up"), list(upcoming, (e) => eventItem(e, today), gettext("No festival in the next 12 months."))),
    section("h-fav", gettext("Favourites"), list(favourites, (p) => placeItem(p), gettext("Tap ☆ on a place to keep it here."))),
    section("h-recent", gettext("Recently viewed"), list(recent, (r) => h("li", { class: "card" }, h("a", { href: r.href }, r.name)), gettext("Nothing yet."))),
  ];
}

// ---- search ----------------------------------------------------------------------------------------------

export function searchScreen(state, params) {
  const input = h("input", { type: "search", id: "q", name: "q", value: params.get("q") || "", autocomplete: "off", enterkeyhint: "search" });
  const kind = h("select", { id: "kind" }, h("option", { value: "" }, gettext("Everything")),
    PLACE_KINDS.map((k) => h("option", { value: k }, kindLabel(k))),
    h("option", { value: "events" }, gettext("Events and festivals")), h("option", { value: "specialties" }, gettext("Specialties")));
  const open = h("input", { type: "checkbox", id: "open" });
  const count = h("p", { role: "status", class: "count" });
  const results = h("div", { id: "results" });
  const run = () => {
    if (!input.isConnected) return; // the traveller has left the screen (a late keystroke timer)
    const q = input.value.trim();
    history.replaceState(null, "", `#/search?q=${encodeURIComponent(q)}`);
    if (!q) { count.textContent = ""; results.replaceChildren(); return; }
    let items = [];
    if (!kind.value || PLACE_KINDS.includes(kind.value)) {
      items = search(state.places.filter((p) => (!kind.value || p.kind === kind.value) && (!open.checked || isOpen(p.hours) === true)), q)
        .map((p) => ["place", p]);
    }
    if (!kind.value || kind.value === "events") {  // past one-off editions after what is still to come
      const found = search(state.events, q, 20);
      const today = todayIso();
      items = items.concat([...found.filter((e) => !isOver(e, today)), ...found.filter((e) => isOver(e, today))].map((e) => ["event", e]));
    }
    if (!kind.value || kind.value === "specialties") items = items.concat(search(state.specialties, q, 20).map((s) => ["specialty", s]));
    count.textContent = interpolate(ngettext("%(n)s result", "%(n)s results", items.length), { n: items.length });
    const today = todayIso();
    results.replaceChildren(h("ul", { class: "cards" }, items.map(([type, item]) =>
      type === "place" ? placeItem(item) : type === "event" ? eventItem(item, today)
        : h("li", { class: "card" }, h("a", { href: `#/specialty/${item.slug}` }, item.name), h("span", { class: "meta" }, kindLabel(item.kind))))));
  };
  let timer = null;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 120); });
  kind.addEventListener("change", run);
  open.addEventListener("change", run);
  setTimeout(run, 0);
  return [
    h("h1", {}, gettext("Search")),
    noData(state),
    h("form", { role: "search", class: "search", onsubmit: (e) => { e.preventDefault(); run(); } },
      h("label", { for: "q" }, gettext("Place, festival or specialty (with or without accents)")), input,
      h("div", { class: "row" }, h("label", { for: "kind" }, gettext("Kind")), kind,
        h("label", { for: "open", class: "check" }, open, gettext("Open now")))),
    count, results,
  ];
}

// ---- place, event, specialty -------------------------------------------------------------------------------

async function remember(kind, item, href) {
  if (!store.available()) return;
  try { await store.put("recent", { slug: `${kind}:${item.slug}`, name: item.name, href, at: Date.now() }); } catch (error) { /* full disk */ }
}

function favouriteButton(state, p) {
  const button = h("button", { type: "button", class: "fav", "aria-pressed": state.favourites.has(p.slug) ? "true" : "false" },
    state.favourites.has(p.slug) ? gettext("★ In favourites") : gettext("☆ Add to favourites"));
  button.addEventListener("click", async () => {
    try {
      if (state.favourites.has(p.slug)) { state.favourites.delete(p.slug); await store.remove("favourites", p.slug); }
      else { state.favourites.set(p.slug, true); await store.put("favourites", { slug: p.slug, at: Date.now() }); }
    } catch (error) { toast(explain(error)); }
    const on = state.favourites.has(p.slug);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? gettext("★ In favourites") : gettext("☆ Add to favourites");
  });
  return button;
}

/* Opening hours in the visitor's language: "every day 07:00–17:30", or the next seven days one by one. */
function hoursView(state, hours) {
  const week = weekHours(hours, state.lang);
  if (!week) return gettext("Not known");
  const times = (intervals) => (intervals.length ? intervals.join(", ") : gettext("closed"));
  if (week.everyDay) return [interpolate(gettext("Every day %(times)s"), { times: times(week.everyDay) }), " ", openBadge(isOpen(hours))];
  return [openBadge(isOpen(hours)),
    h("ul", { class: "week" }, week.days.map((d) => h("li", d.today ? { class: "today" } : {},
      h("span", { class: "day-name" }, d.weekday), " ", times(d.intervals))))];
}

export async function place(state, slug) {
  const p = bySlug(state, "places", slug);
  if (!p) return [h("h1", {}, gettext("Place not found")), h("p", {}, h("a", { href: "#/search" }, gettext("Search")))];
  remember("place", p, `#/place/${slug}`);
  const more = h("div", { id: "more" });
  const facts = h("dl", { class: "facts" },
    h("dt", {}, gettext("Where")), h("dd", {}, p.commune_name, p.district ? ` (${interpolate(gettext("formerly %(district)s"), { district: p.district })})` : "",
      p.approx ? h("small", { class: "approximate" }, " · ", interpolate(gettext("Approximate location: within about %(km)s km"), { km: (p.approx / 1000).toLocaleString(state.lang, { maximumFractionDigits: 1 }) })) : null),
    h("dt", {}, gettext("Opening hours")), h("dd", {}, hoursView(state, p.hours)),
    h("dt", {}, gettext("Adult ticket")), h("dd", {}, p.adult_vnd == null ? gettext("Not known") : p.adult_vnd === 0 ? gettext("Free") : vnd(p.adult_vnd)),
    h("dt", {}, gettext("Typical visit")), h("dd", {}, interpolate(gettext("%(n)s min"), { n: p.visit_minutes })));
  if (navigator.onLine) {
    fetch(`${state.api}places/${encodeURIComponent(slug)}?lang=${state.lang}`, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : null))
      .then((detail) => {
        if (!detail || !detail.description) return;
        more.replaceChildren(...detail.description.split(/\n\s*\n/).map((para) => h("p", {}, para)));
      })
      .catch(() => {});
  }
  return [
    h("h1", {}, p.name),
    h("p", { class: "meta" }, kindLabel(p.kind)),
    photo(p.photo, p.name),
    p.summary ? h("p", { class: "lead" }, p.summary) : null,
    h("div", { class: "row actions" },
      h("a", { class: "button primary", href: directionsUrl(p.lat, p.lon, p.name), rel: "noopener" }, gettext("Directions")),
      favouriteButton(state, p),
      h("a", { class: "button", href: `#/map?place=${p.slug}` }, gettext("On the map"))),
    facts, more,
    section("h-offline", gettext("Offline"),
      h("p", {}, gettext("Save this area's photos and map on the phone for places without signal.")),
      h("div", { class: "row" },
        h("a", { class: "button", href: `#/areas?place=${p.slug}` }, gettext("Download this site")),
        h("a", { class: "button", href: `#/areas?commune=${p.commune}` }, interpolate(gettext("Download %(commune)s"), { commune: p.commune_name })))),
  ];
}

export function eventScreen(state, slug) {
  const e = bySlug(state, "events", slug);
  if (!e) return [h("h1", {}, gettext("Event not found"))];
  remember("event", e, `#/event/${slug}`);
  const where = e.place ? bySlug(state, "places", e.place) : null;
  return [
    h("h1", {}, e.name),
    h("p", { class: "meta" }, kindLabel(e.kind), " · ", e.commune_name),
    photo(e.photo, e.name),
    e.summary ? h("p", { class: "lead" }, e.summary) : null,
    h("h2", {}, gettext("Dates")),
    list(e.dates, (span) => h("li", {}, spanLabel(span)), isOver(e, todayIso()) ? gettext("This edition is over") : gettext("No date in the next 12 months")),
    where ? h("p", {}, gettext("Where"), ": ", h("a", { href: `#/place/${where.slug}` }, where.name)) : null,
    e.lat != null ? h("a", { class: "button primary", href: directionsUrl(e.lat, e.lon, e.name), rel: "noopener" }, gettext("Directions")) : null,
  ];
}

export function specialtyScreen(state, slug) {
  const s = bySlug(state, "specialties", slug);
  if (!s) return [h("h1", {}, gettext("Specialty not found"))];
  const where = s.places.map((slug) => bySlug(state, "places", slug)).filter(Boolean);
  return [
    h("h1", {}, s.name), h("p", { class: "meta" }, kindLabel(s.kind), s.origin ? [" · ", s.origin] : null),
    photo(s.photo, s.name), s.summary ? h("p", { class: "lead" }, s.summary) : null,
    where.length ? section("h-where", gettext("Where to find it"), list(where, (p) => placeItem(p), "")) : null,
  ];
}

// ---- events ----------------------------------------------------------------------------------------------

export function events(state) {
  const today = todayIso();
  const onToday = h("input", { type: "checkbox", id: "on-today" });
  const out = h("div", {});
  const draw = () => {
    const items = state.events
      .filter((e) => (onToday.checked ? happensOn(e, today) : nextDates(e, today)))
      .sort((a, b) => nextDates(a, today)[0].localeCompare(nextDates(b, today)[0]) || b.popularity - a.popularity);
    out.replaceChildren(list(items, (e) => eventItem(e, today), onToday.checked ? gettext("No festival or event today.") : gettext("No festival in the next 12 months.")));
  };
  onToday.addEventListener("change", draw);
  draw();
  return [h("h1", {}, gettext("Festivals and events")), noData(state),
    h("p", {}, h("label", { for: "on-today", class: "check" }, onToday, gettext("On today"))), out];
}

// ---- map -------------------------------------------------------------------------------------------------

export function mapScreen(state, params) {
  const holder = h("div", { class: "map-holder" });
  const focus = params.get("place") ? bySlug(state, "places", params.get("place")) : null;
  const near = params.get("near") && lastPosition() ? byDistance(state.places, lastPosition(), 20).map(([, p]) => p) : null;
  const shown = focus ? [focus] : near || state.places;
  const status = h("p", { role: "status" });
  const draw = (position) => {
    const el = h("div", { id: "map", class: "map", hidden: true, role: "region", "aria-label": gettext("Map of places") });
    holder.replaceChildren(el);
    showMap(el, state.config, shown, { position }).catch(() => {
      el.hidden = true;
      status.textContent = gettext("The map cannot be shown right now; the list below still works.");
    });
  };
  setTimeout(() => draw(lastPosition()), 0);
  const me = h("button", { type: "button", onclick: async () => {
    try { draw(await locate()); } catch (error) { status.textContent = gettext("Your location is not available. Allow location for this site in your browser, or search by name."); }
  } }, gettext("Show me on the map"));
  return [h("h1", {}, focus ? focus.name : near ? gettext("Near me") : gettext("Map of places")), me, status, holder,
    section("h-list", gettext("List of places"), list(shown.slice(0, 200), (p) => placeItem(p), gettext("No places stored yet.")))];
}

// ---- trips -----------------------------------------------------------------------------------------------

function tripTitle(trip) {
  const days = trip.plan.days || [];
  if (!days.length) return gettext("Trip");
  return days.length === 1 ? dateLabel(days[0].date) : `${dateLabel(days[0].date)} – ${dateLabel(days[days.length - 1].date)}`;
}

function planForm(state) {
  const today = todayIso();
  const status = h("p", { role: "status" });
  const interests = Object.entries(state.tags || {}).slice(0, 16);
  const form = h("form", { class: "plan" },
    h("label", { for: "p-date" }, gettext("First day")), h("input", { type: "date", id: "p-date", name: "date", value: today, min: today, required: true }),
    h("label", { for: "p-days" }, gettext("Number of days")),
    h("select", { id: "p-days", name: "days" }, [1, 2, 3, 4].map((n) => h("option", { value: n }, String(n)))),
    h("label", { for: "p-start" }, gettext("Start from")),
    h("select", { id: "p-start", name: "start" },
      state.config.hubs.map((slug) => bySlug(state, "places", slug)).filter(Boolean).map((hub) => h("option", { value: hub.slug }, hub.name)),
      h("option", { value: "here" }, gettext("Where I am (uses my location once)"))),
    h("label", { for: "p-pace" }, gettext("Pace")),
    h("select", { id: "p-pace", name: "pace" }, h("option", { value: "relaxed" }, gettext("Relaxed")),
      h("option", { value: "normal", selected: true }, gettext("Normal")), h("option", { value: "intense" }, gettext("Intense"))),
    interests.length ? h("fieldset", {}, h("legend", {}, gettext("Interests")),
      interests.map(([slug, name]) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "interest", value: slug }), name))) : null,
    h("button", { type: "submit", class: "primary" }, gettext("Plan my trip")), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!navigator.onLine) { status.textContent = gettext("Planning needs an internet connection. Saved trips work offline."); return; }
    const data = new FormData(form);
    const first = data.get("date");
    const last = new Date(Date.parse(first) + (Number(data.get("days")) - 1) * 86400000).toISOString().slice(0, 10);
    const request = { start_date: first, end_date: last, pace: data.get("pace"), interests: data.getAll("interest"), lang: state.lang };
    status.textContent = gettext("Planning…");
    try {
      if (data.get("start") === "here") {
        const position = await locate();
        request.start = { lat: Number(position.lat.toFixed(5)), lon: Number(position.lon.toFixed(5)) };
      } else request.start = { place: data.get("start") };
      const trip = await trips.plan(state.api, request);
      await store.put("trips", { ...trip, saved: Date.now() });
      keepStorage();
      location.hash = `#/trip/${trip.token}`;
    } catch (error) { status.textContent = explain(error); }
  });
  return form;
}

export async function tripsScreen(state) {
  const saved = store.available() ? (await store.all("trips")).sort((a, b) => b.saved - a.saved) : [];
  return [
    h("h1", {}, gettext("Trips")),
    section("h-saved", gettext("Saved trips"), list(saved, (t) => h("li", { class: "card" },
      h("a", { href: `#/trip/${t.token}` }, tripTitle(t)),
      h("span", { class: "meta" }, interpolate(ngettext("%(n)s visit", "%(n)s visits", t.plan.totals.visits), { n: t.plan.totals.visits }))),
    gettext("No saved trip yet. Plan one below, or open a trip shared with you."))),
    section("h-plan", gettext("Plan a trip"), planForm(state)),
  ];
}

/* A day in the order it is lived: the road to each stop (before it), the stop, and lunch after the last stop
   left before lunch starts (so before the road to the next one). */
export function dayTimeline(day) {
  const items = [];
  day.stops.forEach((stop, index) => {
    if (stop.travel_minutes > 0) items.push({ kind: "leg", minutes: stop.travel_minutes });
    items.push({ kind: "stop", stop, index });
  });
  if (day.lunch) {
    let at = 0;
    items.forEach((item, i) => { if (item.kind === "stop" && item.stop.leave <= day.lunch.start) at = i + 1; });
    items.splice(at, 0, { kind: "lunch", lunch: day.lunch });
  }
  return items;
}

function dayMap(state, day) {
  const points = day.stops.filter((s) => typeof s.lat === "number").map((s) => ({ slug: s.place, name: s.name, lat: s.lat, lon: s.lon }));
  if (!points.length) return null;
  const holder = h("div", {});
  const button = h("button", { type: "button", "aria-expanded": "false", onclick: () => {
    const el = h("div", { class: "map", hidden: true, role: "region", "aria-label": interpolate(gettext("Map of day %(n)s"), { n: day.day }) });
    holder.replaceChildren(el);
    button.setAttribute("aria-expanded", "true");
    button.hidden = true;
    showMap(el, state.config, points, { order: true }).catch(() => {
      holder.replaceChildren(h("p", { class: "meta" }, gettext("The map cannot be shown right now; the list below still works.")));
    });
  } }, gettext("Map of the day"));
  return h("div", { class: "day-map" }, button, holder);
}

export async function tripScreen(state, token) {
  let trip = store.available() ? await store.get("trips", token) : null;
  const saved = Boolean(trip);
  if (!trip) {
    try { trip = await trips.fetchTrip(state.api, token, state.lang); } catch (error) {
      const why = error.status === 404 ? gettext("No trip with this link. Check that the whole link was copied.")
        : !navigator.onLine || error.offline ? gettext("This trip is not saved on this phone. Open it once while online, then tap “Save on this phone”.")
          : explain(error);
      return [h("h1", {}, gettext("Trip")), h("p", { class: "notice" }, why), h("p", {}, h("a", { class: "button", href: "#/trips" }, gettext("Saved trips")))];
    }
  }
  const current = trips.currentDay(trip);
  const saveButton = h("button", { type: "button", class: "primary", onclick: async () => {
    try {
      if (saveButton.dataset.saved) { await store.remove("trips", token); delete saveButton.dataset.saved; saveButton.textContent = gettext("Save on this phone"); }
      else { await store.put("trips", { ...trip, saved: Date.now() }); keepStorage(); saveButton.dataset.saved = "1"; saveButton.textContent = gettext("Saved ✓ (tap to remove)"); }
    } catch (error) { toast(explain(error)); }
  } }, saved ? gettext("Saved ✓ (tap to remove)") : gettext("Save on this phone"));
  if (saved) saveButton.dataset.saved = "1";
  const days = (trip.plan.days || []).map((day) => {
    const t = day === current ? trips.timeline(day) : { current: -1, next: -1 };
    return h("section", { class: day === current ? "day current" : "day", "aria-labelledby": `d-${day.day}` },
      h("h2", { id: `d-${day.day}` }, interpolate(gettext("Day %(n)s"), { n: day.day }), " · ", dateLabel(day.date)),
      h("p", { class: "meta" }, interpolate(gettext("Start %(time)s at %(label)s"), { time: day.start.time, label: day.start.label })),
      h("ol", { class: "timeline" }, dayTimeline(day).map((item) => {
        if (item.kind === "lunch") {
          return h("li", { class: "lunch" }, h("span", { class: "time" }, `${item.lunch.start}–${item.lunch.leave}`), " ",
            item.lunch.place ? interpolate(gettext("Lunch: %(name)s"), { name: item.lunch.name }) : item.lunch.name);
        }
        if (item.kind === "leg") return h("li", { class: "leg" }, interpolate(gettext("%(n)s min on the road"), { n: item.minutes }));
        const { stop, index: i } = item;
        const known = bySlug(state, "places", stop.place);
        const mark = i === t.current ? "now" : i === t.next ? "next" : "";
        return h("li", { class: mark === "next" && t.late ? "stop next late" : `stop ${mark}`, value: i + 1, "aria-current": mark === "next" ? "step" : null },
          h("span", { class: "time" }, `${stop.arrive}–${stop.leave}`), " ",
          known ? h("a", { href: `#/place/${stop.place}` }, known.name) : stop.name,
          mark === "now" ? h("strong", { class: "flag" }, gettext("Now")) : null,
          mark === "next" ? h("strong", { class: "flag" }, leaveLabel(t)) : null,
          mark === "next" ? h("a", { class: "button", href: directionsUrl(stop.lat, stop.lon, stop.name), rel: "noopener" }, gettext("Directions")) : null);
      })),
      dayMap(state, day),
      h("p", { class: "meta" }, interpolate(gettext("End %(time)s at %(label)s"), { time: day.end.time, label: day.end.label })));
  });
  return [h("h1", {}, tripTitle(trip)), h("div", { class: "row" }, saveButton,
    navigator.onLine ? h("a", { class: "button", href: `${state.api}trips/${token}.ics` }, gettext("Add to calendar")) : null),
  days, (trip.plan.explanation || []).length ? section("h-why", gettext("Good to know"), h("ul", {}, trip.plan.explanation.map((s) => h("li", {}, s)))) : null];
}

// ---- offline areas ---------------------------------------------------------------------------------------

async function storageLine() {
  if (!navigator.storage || !navigator.storage.estimate) return null;
  const { usage, quota } = await navigator.storage.estimate();
  return h("p", { class: "meta" }, interpolate(gettext("Used on this phone: %(used)s of %(quota)s available to the app."), { used: bytes(usage || 0), quota: bytes(quota || 0) }));
}

export async function areasScreen(state, params) {
  const communes = new Map();
  for (const p of state.places) communes.set(p.commune, p.commune_name);
  const choices = [...communes].sort((a, b) => fold(a[1]).localeCompare(fold(b[1])));
  const select = h("select", { id: "a-commune" }, choices.map(([code, name]) => h("option", { value: code, selected: String(code) === params.get("commune") }, name)));
  const detail = h("div", { id: "area-detail" });
  const site = params.get("place") ? bySlug(state, "places", params.get("place")) : null;
  const check = async (wanted) => {
    detail.replaceChildren(h("p", { role: "status" }, gettext("Checking the size…")));
    try {
      const area = await areas.describe(state.api, wanted, state.lang);
      const progress = h("progress", { max: area.photos.length + area.tiles.length, value: 0, "aria-label": gettext("Download progress") });
      const status = h("p", { role: "status" });
      const go = h("button", { type: "button", class: "primary", onclick: async () => {
        go.disabled = true;
        if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
        try {
          const record = await areas.download(area, (done, total) => {
            progress.value = done;
            status.textContent = interpolate(gettext("Downloaded %(done)s of %(total)s files"), { done, total });
          });
          status.textContent = record.failed
            ? interpolate(gettext("Saved, but %(n)s files could not be downloaded. Tap Download again to fetch only the missing ones."), { n: record.failed })
            : gettext("Saved for offline use.");
          go.disabled = !record.failed;
          await refreshSaved();
        } catch (error) { status.textContent = explain(error); go.disabled = false; }
      } }, gettext("Download"));
      detail.replaceChildren(h("h2", { id: "h-area" }, area.name),
        h("ul", {},
          h("li", {}, interpolate(ngettext("%(n)s place", "%(n)s places", area.places.length), { n: area.places.length })),
          h("li", {}, interpolate(ngettext("%(n)s photo (%(size)s)", "%(n)s photos (%(size)s)", area.photos.length), { n: area.photos.length, size: bytes(area.photo_bytes) })),
          area.tiles.length
            ? h("li", {}, interpolate(ngettext("%(n)s map tile (about %(size)s)", "%(n)s map tiles (about %(size)s)", area.tiles.length), { n: area.tiles.length, size: bytes(area.tile_bytes_estimate) }))
            : h("li", {}, gettext("No map tiles: this map server does not allow downloading them for offline use. The places, photos and directions still work offline."))),
        h("p", { class: "total" }, interpolate(gettext("Total about %(size)s"), { size: bytes(area.total_bytes_estimate) })),
        go, progress, status);
    } catch (error) { detail.replaceChildren(h("p", { class: "notice" }, explain(error))); }
  };
  const savedList = h("div", {});
  const refreshSaved = async () => {
    const saved = store.available() ? await store.all("areas") : [];
    savedList.replaceChildren(list(saved, (a) => h("li", { class: "card" },
      h("span", {}, a.name), h("span", { class: "meta" }, bytes(a.bytes), " · ", new Date(a.at).toLocaleDateString(state.lang)),
      h("button", { type: "button", "aria-label": interpolate(gettext("Delete %(name)s"), { name: a.name }), onclick: async () => { await areas.remove(a.id); await refreshSaved(); } }, gettext("Delete"))),
    gettext("No area downloaded yet.")));
  };
  await refreshSaved();
  return [
    h("h1", {}, gettext("Offline areas")),
    h("p", {}, gettext("Places, events and trips are always on the phone. Download an area to keep its photos and map too.")),
    site ? h("p", {}, h("button", { type: "button", onclick: () => check({ place: site.slug }) }, interpolate(gettext("Check the size of %(name)s and its surroundings"), { name: site.name }))) : null,
    h("form", { class: "row", onsubmit: (e) => { e.preventDefault(); check({ commune: select.value }); } },
      h("label", { for: "a-commune" }, gettext("Commune or ward")), select, h("button", { type: "submit" }, gettext("Check the size"))),
    detail,
    section("h-areas", gettext("Downloaded areas"), savedList),
    await storageLine(),
  ];
}

// ---- settings ----------------------------------------------------------------------------------------------

export async function settings(state) {
  const select = h("select", { id: "s-lang" }, state.config.languages.map((l) => h("option", { value: l.code, lang: l.code, selected: l.code === state.lang }, l.name)));
  select.addEventListener("change", () => state.setLanguage(select.value));
  const meta = store.available() ? await store.get("meta", "catalogue") : null;
  const status = h("p", { role: "status", id: "sync-status" }, meta
    ? interpolate(gettext("Offline data: %(places)s places, %(events)s events, updated %(when)s."), {
      places: meta.counts.places, events: meta.counts.events, when: new Date(meta.synced).toLocaleString(state.lang) })
    : gettext("No offline data yet."));
  return [
    h("h1", {}, gettext("Settings")),
    h("form", { onsubmit: (e) => e.preventDefault() }, h("label", { for: "s-lang" }, gettext("Language")), select),
    section("h-data", gettext("Offline data"), status,
      h("div", { class: "row" },
        h("button", { type: "button", id: "sync-now", onclick: () => state.syncNow(false) }, gettext("Update now")),
        h("button", { type: "button", onclick: () => state.syncNow(true) }, gettext("Download everything again"))),
      h("p", {}, h("a", { href: "#/areas" }, gettext("Offline areas")))),
    state.installPrompt ? h("button", { type: "button", class: "install", onclick: () => state.install() }, gettext("Install the app")) : null,
    section("h-about", gettext("About"),
      h("p", {}, h("strong", {}, gettext("Xứ Thanh – Thanh Hóa travel guide"))),
      h("p", {}, gettext("Places, festivals, specialties and trips of Thanh Hóa province, on your phone, even offline.")),
      h("p", {}, gettext("Your location is used only when you tap a location button, and stays on this phone (except to plan a trip from where you are).")),
      h("p", {}, h("a", { href: `/${state.lang}/` }, gettext("Open the Xứ Thanh website")))),
  ];
}
