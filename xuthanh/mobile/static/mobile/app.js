/* Xứ Thanh app: start-up (language, offline store check, first screen from the device), routing between
   screens (#/…), the service worker, background updates of the offline data and the install prompt.
   A shared trip opens at /app/#/trip/<token>.
   Background work (sync, a new version of the app, the clock) redraws the screen only when that loses nothing:
   a screen whose form the traveller has started filling is left alone. */
import * as guide from "./guide.js";
import * as i18n from "./i18n.js";
import { gettext } from "./i18n.js";
import * as screens from "./screens.js";
import * as store from "./store.js";
import { sync } from "./sync.js";
import { explain, h, toast } from "./ui.js";

const config = JSON.parse(document.getElementById("app-config").textContent);
const SYNC_EVERY_MS = 15 * 60 * 1000;
const RETRY_MS = [10_000, 30_000, 60_000, 120_000, 300_000]; // a failed download without data, tried again
const CLOCK_MS = 60 * 1000; // "now", the next stop and the time to leave move with the clock
const state = {
  config, api: config.api, lang: config.default, places: [], events: [], specialties: [], tags: {},
  favourites: new Map(), installPrompt: null, syncError: null,
};
let edited = false; // the traveller changed a form field on the screen shown
let updateReady = false; // a new version took over: the next screen change loads it

async function loadData() {
  if (!store.available()) return;
  [state.places, state.events, state.specialties] = await Promise.all(store.CATALOGUE.map((name) => store.all(name)));
  state.places.sort((a, b) => b.popularity - a.popularity || a.slug.localeCompare(b.slug));
  const meta = await store.get("meta", "catalogue");
  state.tags = (meta && meta.tags) || {};
  state.favourites = new Map((await store.all("favourites")).map((f) => [f.slug, true]));
}

/* Without IndexedDB (some private modes) the app still works online, from memory. */
async function loadWithoutStore() {
  const response = await fetch(`${state.api}offline/catalogue?lang=${state.lang}`, { headers: { Accept: "application/json" } });
  const answer = await response.json();
  Object.assign(state, { places: answer.places, events: answer.events, specialties: answer.specialties, tags: answer.tags });
}

const TABS = [
  ["#/", () => gettext("Home")],
  ["#/search", () => gettext("Search")],
  ["#/events", () => gettext("Events")],
  ["#/map", () => gettext("Map")],
  ["#/trips", () => gettext("Trips")],
  ["#/settings", () => gettext("Settings")],
];

function renderTabs(path) {
  const nav = document.getElementById("tabs");
  nav.hidden = false;
  nav.setAttribute("aria-label", gettext("Main"));
  nav.replaceChildren(h("ul", {}, TABS.map(([href, label]) => {
    const active = href === "#/" ? path === "" : path.startsWith(href.slice(2)) || (href === "#/trips" && path.startsWith("trip/"));
    return h("li", {}, h("a", { href, "aria-current": active ? "page" : null }, label()));
  })));
  document.querySelector(".skip").textContent = gettext("Skip to content");
  document.querySelector(".brand").textContent = gettext("Xứ Thanh");
}

function renderNet() {
  const net = document.getElementById("net");
  net.textContent = navigator.onLine ? "" : gettext("Offline");
  net.classList.toggle("off", !navigator.onLine);
}

let rendering = 0;
async function render({ focus = true } = {}) {
  const ticket = ++rendering;
  const [path, query] = location.hash.replace(/^#\/?/, "").split("?");
  const params = new URLSearchParams(query || "");
  const [name, arg] = [path.split("/")[0], decodeURIComponent(path.split("/").slice(1).join("/"))];
  const views = {
    "": () => screens.home(state),
    search: () => screens.searchScreen(state, params),
    place: () => screens.place(state, arg),
    event: () => screens.eventScreen(state, arg),
    specialty: () => screens.specialtyScreen(state, arg),
    events: () => screens.events(state),
    map: () => screens.mapScreen(state, params),
    trips: () => screens.tripsScreen(state),
    trip: () => screens.tripScreen(state, arg),
    areas: () => screens.areasScreen(state, params),
    guide: () => (arg ? guide.tourScreen(state, arg, params) : guide.toursScreen(state)),
    stop: () => guide.stopScreen(state, arg),
    pano: () => guide.panoScreen(state, arg, params),
    settings: () => screens.settings(state),
  };
  let content;
  try {
    content = await (views[name] || views[""])();
  } catch (error) {
    content = [h("h1", {}, gettext("Something went wrong")), h("p", { class: "notice" }, explain(error))];
  }
  if (ticket !== rendering) return;
  const main = document.getElementById("main");
  main.replaceChildren(...[content].flat(Infinity).filter(Boolean));
  edited = false;
  renderTabs(path);
  const heading = main.querySelector("h1");
  document.title = heading && name ? `${heading.textContent} – Xứ Thanh` : "Xứ Thanh";
  document.body.dataset.screen = name || "home";
  document.body.dataset.route = path; // the screen shown (tests wait for it)
  if (focus && heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); window.scrollTo(0, 0); }
}

/* Redraw the screen for a change made in the background, unless the traveller is filling a form on it. */
async function refresh() {
  const active = document.activeElement;
  const typing = active && active.matches("input, select, textarea") && document.getElementById("main").contains(active);
  if (edited || typing) return false;
  await render({ focus: false });
  return true;
}

let retryTimer = null;
let retries = 0;

async function syncNow(full = false) {
  if (!store.available() || !navigator.onLine) return;
  clearTimeout(retryTimer);
  document.body.dataset.sync = "running";
  const hadError = Boolean(state.syncError);
  try {
    const result = await sync(state.api, state.lang, { full });
    state.syncError = null;
    retries = 0;
    if (result.changed || full) await loadData();
    if (result.changed || full || hadError) await refresh();
    document.body.dataset.sync = "done";
  } catch (error) {
    state.syncError = error;
    document.body.dataset.sync = "failed";
    if (error.message === "version") toast(gettext("A new version of the app is needed for the latest data; it will update itself."));
    else if (error.name === "QuotaExceededError") toast(explain(error), 12000);
    else if (!state.places.length) {
      // Nothing on the phone yet (a first visit on a weak signal): say so, and try again by itself.
      retryTimer = setTimeout(() => syncNow(false), RETRY_MS[Math.min(retries, RETRY_MS.length - 1)]);
      retries += 1;
      await refresh();
    }
  }
}

/* An installed app may be woken to update its data (Chromium grants this to installed apps it sees used). */
async function askPeriodicSync(registration) {
  if (!registration || !("periodicSync" in registration)) return;
  const status = await navigator.permissions.query({ name: "periodic-background-sync" }).catch(() => null);
  if (status && status.state === "granted") await registration.periodicSync.register("catalogue", { minInterval: 12 * 3600 * 1000 });
}

/* Offline now: have the service worker update the data as soon as the connection returns, app open or not. */
async function syncWhenBackOnline() {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration(config.root);
  if (registration && "sync" in registration) await registration.sync.register("catalogue").catch(() => {});
}

async function setLanguage(code) {
  state.lang = code;
  i18n.remember(code);
  await i18n.load(code, config.root);
  await render({ focus: false });
  await syncNow(false); // a new language downloads its catalogue (the old one stays until it arrives)
}

state.syncNow = async (full) => { await syncNow(full); await render({ focus: false }); };
state.retrySync = async () => { retries = 0; await syncNow(false); await render({ focus: false }); };
state.setLanguage = setLanguage;
state.install = async () => {
  if (!state.installPrompt) return;
  state.installPrompt.prompt();
  await state.installPrompt.userChoice.catch(() => null);
  state.installPrompt = null;
  refresh();
};

async function openStore() {
  let notice = null;
  try {
    const opened = await store.open();
    if (opened.rebuilt) notice = gettext("The offline data could not be read; it is being downloaded again.");
    const checked = await store.check(state.lang);
    if (!checked.ok && (checked.reason === "outdated" || checked.reason === "damaged")) {
      await store.clearCatalogue();
      notice = gettext("The offline data was outdated or incomplete; it is being downloaded again.");
    }
    document.body.dataset.store = checked.ok ? "ok" : checked.reason;
  } catch (error) {
    document.body.dataset.store = "unavailable";
    notice = gettext("This browser does not let the app store data, so it works only online here.");
    try { await store.destroy(); } catch (ignored) { /* nothing to remove */ }
  }
  return notice;
}

async function boot() {
  state.lang = i18n.chosenLanguage(config);
  await i18n.load(state.lang, config.root);
  const notice = await openStore();
  try {
    if (store.available()) await loadData();
    else if (navigator.onLine) await loadWithoutStore();
  } catch (error) {
    toast(explain(error));
  }
  renderNet();
  await render();
  document.body.dataset.ready = "1";
  if (performance.mark) performance.mark("app-ready"); // bench/app.py: cold start to the first screen
  if (notice) toast(notice, 10000);
  if ("serviceWorker" in navigator) {
    let controlled = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      // The first worker taking this page over is no update. A later one has deleted the old files: this
      // page's code is the old version. It is replaced at the next change of screen (nothing typed is lost
      // then), so old and new files are never mixed.
      if (!controlled) { controlled = true; return; }
      updateReady = true;
      document.body.dataset.update = "ready";
      toast(gettext("The app was updated. The new version opens at your next tap."));
    });
    navigator.serviceWorker.addEventListener("message", async (event) => {
      if (event.data && event.data.type === "catalogue-changed") { await loadData(); await refresh(); }
    });
    // updateViaCache "none": the worker's imported modules are checked too, never taken from the HTTP cache.
    const options = { scope: config.root, updateViaCache: "none" };
    navigator.serviceWorker.register(config.sw, { ...options, type: "module" })
      .catch(() => navigator.serviceWorker.register(`${config.sw}?classic=1`, options))
      .then(askPeriodicSync)
      .catch(() => {});
  }
  syncNow(false);
  setInterval(() => { syncNow(false); checkForUpdate(); }, SYNC_EVERY_MS);
  setInterval(() => { if (["home", "trip"].includes(document.body.dataset.screen)) refresh(); }, CLOCK_MS);
}

/* An installed app may stay open for days: look for a new version now and then, not only at start. */
async function checkForUpdate() {
  if (!("serviceWorker" in navigator) || !navigator.onLine) return;
  const registration = await navigator.serviceWorker.getRegistration(config.root).catch(() => null);
  if (registration) await registration.update().catch(() => {});
}

window.addEventListener("hashchange", () => {
  if (updateReady) { location.reload(); return; }
  render();
});
document.getElementById("main").addEventListener("input", () => { edited = true; });
document.getElementById("main").addEventListener("change", () => { edited = true; });
window.addEventListener("online", () => { renderNet(); syncNow(false); });
window.addEventListener("offline", () => { renderNet(); syncWhenBackOnline(); });
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") { syncNow(false); checkForUpdate(); }
});
window.addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  state.installPrompt = event;
  if (document.body.dataset.ready) refresh();
});
window.addEventListener("appinstalled", () => {
  // counted only for a visit that came by a campaign's short link (its cookie); nothing about the traveller
  if (navigator.sendBeacon) navigator.sendBeacon(config.installed);
});
window.addEventListener("unhandledrejection", (event) => {
  if (event.reason && event.reason.name === "QuotaExceededError") { event.preventDefault(); toast(explain(event.reason), 12000); }
});

boot();
