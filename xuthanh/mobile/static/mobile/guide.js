/* The audio guide in the app: the tours (#/guide), a tour (#/guide/<slug>): its stops and their map, one player (play,
   pause, previous, next, speed, captions and the text), the stop started by walking into its zone
   (geofence.js; the position only after a tap, used on the phone, never sent), by a sign's QR code (the
   camera only after a tap) or by its number; the lock screen's controls (Media Session); and the tour saved
   for offline use in one Cache Storage cache (the service worker serves its audio from there), with its
   360° scenes (#/pano/<slug>: the panoramas and the viewer's files, shown by guide/tour-viewer.js).
   A sign's QR code holds the address #/stop/<code>, which opens the stop's tour at that stop. */
import "../guide/geofence.js";
import { gettext, interpolate } from "./i18n.js";
import { showMap } from "./map.js";
import { answer, bytes, explain, h } from "./ui.js";

const SPEEDS = [0.75, 1, 1.25, 1.5];
const WALK_COOLDOWN_MS = 10_000; // between two stops started by walking (a narration is never cut short anyway)
let session = null; // the tour being listened to: survives a redraw of its screen

function cacheName(slug, lang) {
  return `guide:${slug}:${lang}`;
}

function tourUrl(state, slug) {
  return `${state.api}guide/tours/${encodeURIComponent(slug)}?lang=${state.lang}`;
}

function languageName(state, code) {
  const found = state.config.languages.find((l) => l.code === code);
  return found ? found.name : code;
}

function scenesUrl(state, slug) {
  return `${state.api}guide/tours/${encodeURIComponent(slug)}/scenes?lang=${state.lang}`;
}

/* The tour from the network, else from the tour saved on the phone, else from the service worker's cache. */
async function loadTour(state, slug, url = tourUrl(state, slug)) {
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (response.ok) return await response.json();
    if (response.status === 404) return null;
  } catch (error) { /* offline: look on the phone */ }
  const saved = window.caches ? await caches.match(url) : null;
  if (saved) return saved.json();
  throw Object.assign(new Error("offline"), { offline: true });
}

export async function toursScreen(state) {
  let tours = [];
  try {
    tours = await answer(await fetch(`${state.api}guide/tours?lang=${state.lang}`, { headers: { Accept: "application/json" } }));
  } catch (error) {
    return [h("h1", {}, gettext("Audio tours")), h("p", { class: "notice" }, explain(error))];
  }
  return [
    h("h1", {}, gettext("Audio tours")),
    h("p", {}, gettext("A narrator for each stop of a site, in your language. Download a tour before you go: it then plays without signal.")),
    h("ul", { class: "cards" }, tours.map((t) => h("li", { class: "card" },
      h("a", { href: `#/guide/${t.slug}` }, t.name),
      h("span", { class: "meta" }, interpolate(gettext("%(n)s stops"), { n: t.stop_count })),
      t.summary ? h("p", {}, t.summary) : null))),
  ];
}

/* #/stop/<code>: a sign's QR code opened by the phone's camera. */
export async function stopScreen(state, code) {
  try {
    const stop = await answer(await fetch(`${state.api}guide/stops/${encodeURIComponent(code)}?lang=${state.lang}`,
      { headers: { Accept: "application/json" } }));
    location.replace(`#/guide/${stop.tour}?stop=${stop.number}`);
    return [h("h1", {}, stop.name)];
  } catch (error) {
    return [h("h1", {}, gettext("Stop not found")), h("p", { class: "notice" }, explain(error)),
      h("p", {}, h("a", { href: "#/guide" }, gettext("Audio tours")))];
  }
}

function narrationNote(state, stop) {
  const n = stop.narration;
  if (!n) return gettext("No narration for this stop yet.");
  if (n.fallback) {
    return interpolate(gettext("No narration in %(language)s for this stop: you will hear %(shown)s."),
      { language: languageName(state, n.requested), shown: languageName(state, n.language) });
  }
  if (!n.audio) return gettext("The audio is not ready yet: read the text below.");
  return null;
}

export async function tourScreen(state, slug, params) {
  let tour;
  try {
    tour = await loadTour(state, slug);
  } catch (error) {
    return [h("h1", {}, gettext("Audio tours")), h("p", { class: "notice" }, explain(error))];
  }
  if (!tour) return [h("h1", {}, gettext("Stop not found")), h("p", {}, h("a", { href: "#/guide" }, gettext("Audio tours")))];
  if (!session || session.slug !== slug || session.lang !== state.lang) {
    if (session) {
      session.stopWalking();
      session.audio.pause(); // one narration at a time
    }
    session = makeSession(state, tour);
  } else {
    session.tour = tour;
  }
  const s = session;
  const nowPlaying = h("p", { id: "g-now", role: "status", "aria-live": "polite" });
  const caption = h("p", { id: "g-caption", class: "caption", "aria-live": "off" });
  const text = h("p", { id: "g-text" });
  const note = h("p", { id: "g-note", class: "notice", hidden: true });
  const speed = h("select", { id: "g-speed", onchange: () => { s.audio.playbackRate = Number(speed.value); } },
    SPEEDS.map((v) => h("option", { value: v, selected: v === s.audio.playbackRate }, `${v}×`)));
  s.ui = { nowPlaying, caption, text, note };
  const photo = (stop) => {  // the stop's first photo (its reduced copy), with its credit
    const p = (stop.photos || [])[0];
    return p ? h("figure", { class: "stop-photo" }, h("img", { src: p.small_url || p.url, alt: p.alt_text, loading: "lazy" }),
      h("figcaption", {}, h("small", {}, `© ${p.author}, ${p.licence}`))) : null;
  };
  const items = tour.stops.map((stop) => h("li", { id: `g-stop-${stop.number}`, class: "card" }, photo(stop),
    h("button", { type: "button", class: "stop", "data-qr": stop.qr, onclick: () => s.play(stop.number) },
      `${stop.number}. ${stop.name}`),
    h("span", { class: "meta" }, stop.auto_play ? gettext("plays when you arrive") : gettext("scan the sign or tap")),
    narrationNote(state, stop) ? h("small", {}, narrationNote(state, stop)) : null));
  const walkStatus = h("p", { id: "g-walk", role: "status" });
  const walk = h("button", { type: "button", id: "g-walk-start", "aria-pressed": String(Boolean(s.watch)),
    onclick: () => (s.watch ? s.stopWalking() : s.startWalking()) },
  s.watch ? gettext("Stop automatic play") : gettext("Play automatically as I walk"));
  s.ui.walk = walk;
  s.ui.walkStatus = walkStatus;
  const keypad = h("input", { id: "g-number", type: "number", inputmode: "numeric", min: 1, max: 999, required: true });
  const scanStatus = h("p", { id: "g-scan", role: "status" });
  const saveStatus = h("p", { id: "g-save", role: "status" });
  const saved = window.caches ? await caches.has(cacheName(slug, state.lang)) : false;
  const save = h("button", { type: "button", id: "g-download", onclick: () => s.download(save, saveStatus) },
    saved ? gettext("Download again") : interpolate(gettext("Download this tour for offline use (%(size)s)"), { size: bytes(tour.package_bytes + (tour.scenes_bytes || 0)) }));
  if (saved) saveStatus.textContent = gettext("Saved on this phone: it plays without signal.");
  const map = h("div", { id: "g-map", class: "map", hidden: true, role: "region",
    "aria-label": interpolate(gettext("Map of the stops: %(tour)s"), { tour: tour.name }) });
  const points = tour.stops.map((stop) => ({ name: `${stop.number}. ${stop.name}`, lat: stop.lat, lon: stop.lon,
    approx: !stop.auto_play, href: `#/guide/${encodeURIComponent(slug)}?stop=${stop.number}` }));
  setTimeout(() => {  // once the screen is in the page; the list works without it
    if (map.isConnected) showMap(map, state.config, points, { order: true }).catch(() => { map.hidden = true; });
  }, 0);
  const wanted = Number(params.get("stop"));
  if (wanted) setTimeout(() => s.show(wanted), 0);
  else if (s.current) setTimeout(() => s.show(s.current.number, false), 0);
  return [
    h("h1", {}, tour.name),
    tour.summary ? h("p", { class: "lead" }, tour.summary) : null,
    h("section", { class: "player", "aria-labelledby": "g-player-h" },
      h("h2", { id: "g-player-h", class: "visually-hidden" }, gettext("Player")),
      nowPlaying, note, s.audio,
      h("div", { class: "row" },
        h("button", { type: "button", id: "g-prev", onclick: () => s.step(-1) }, gettext("Previous narration")),
        h("button", { type: "button", id: "g-next", onclick: () => s.step(1) }, gettext("Next narration")),
        h("label", { for: "g-speed" }, gettext("Speed")), speed),
      caption,
      h("details", { class: "transcript" }, h("summary", {}, gettext("Transcript")), text)),
    h("section", { "aria-labelledby": "g-how" }, h("h2", { id: "g-how" }, gettext("Start a stop")),
      h("div", { class: "row" }, walk), walkStatus,
      h("form", { class: "row", onsubmit: (e) => { e.preventDefault(); s.play(Number(keypad.value)); } },
        h("label", { for: "g-number" }, gettext("Number on the sign")), keypad,
        h("button", { type: "submit" }, gettext("Play"))),
      h("div", { class: "row" }, h("button", { type: "button", id: "g-scan-start", onclick: () => s.scan(scanStatus) }, gettext("Scan the sign's QR code"))),
      scanStatus),
    h("section", { "aria-labelledby": "g-stops" }, h("h2", { id: "g-stops" }, gettext("Stops")), map, h("ol", { class: "stops" }, items)),
    tour.scene_count ? h("p", {}, h("a", { class: "button", id: "g-360", href: `#/pano/${encodeURIComponent(slug)}` },
      interpolate(gettext("360° view (%(n)s scenes)"), { n: tour.scene_count }))) : null,
    h("section", { "aria-labelledby": "g-offline" }, h("h2", { id: "g-offline" }, gettext("Offline")), save, saveStatus),
  ];
}

function viewerLabels() {
  return {
    zoom: gettext("Zoom"), zoomOut: gettext("Zoom out"), zoomIn: gettext("Zoom in"), moveUp: gettext("Look up"),
    moveDown: gettext("Look down"), moveLeft: gettext("Look left"), moveRight: gettext("Look right"),
    fullscreen: gettext("Full screen"), gyroscope: gettext("Turn the phone to look around"),
    loadError: gettext("The panorama could not be loaded."), twoFingers: gettext("Use two fingers to move the view"),
    ctrlZoom: gettext("Use Ctrl and scroll to zoom"), menu: gettext("Menu"), close: gettext("Close"),
    sample: gettext("Sample picture, not a photograph"), goTo: gettext("Go to"),
  };
}

function viewerStyles(state) {
  for (const href of state.config.viewer.styles) {
    if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h("link", { rel: "stylesheet", href }));
  }
}

let pano = null; // the viewer on screen: destroyed when another screen is drawn
window.addEventListener("hashchange", () => {
  if (pano && !location.hash.startsWith("#/pano/")) { pano.destroy(); pano = null; }
});

/* A tour's 360° scenes: the viewer when the phone has WebGL (else each scene's flat picture), the scenes to
   move between, their notes, and each scene's narration in the tour's player. */
export async function panoScreen(state, slug, params) {
  if (pano) { pano.destroy(); pano = null; }
  let data;
  try {
    data = await loadTour(state, slug, scenesUrl(state, slug));
  } catch (error) {
    return [h("h1", {}, gettext("360° view")), h("p", { class: "notice" }, explain(error))];
  }
  if (!data || !data.scenes.length) return [h("h1", {}, gettext("360° view")), h("p", {}, h("a", { href: "#/guide" }, gettext("Audio tours")))];
  const scenes = data.scenes;
  const start = scenes.find((n) => n.slug === params.get("scene")) || scenes[0];
  const picture = h("img", { class: "pano-flat", src: start.preview, alt: start.title, width: 1024, height: 512 });
  const box = h("div", { id: "pano", class: "pano", role: "region", "aria-label": gettext("360° view") }, picture);
  const items = scenes.map((n) => h("li", { id: `p-scene-${n.slug}`, class: "card", "aria-current": n.slug === start.slug ? "true" : null },
    h("button", { type: "button", class: "stop", "data-scene": n.slug, onclick: () => go(n.slug) }, n.title),
    n.sample ? h("small", { class: "sample-mark" }, gettext("Sample picture, not a photograph")) : null,
    n.info.length ? h("details", {}, h("summary", {}, gettext("Notes")),
      h("dl", { class: "pano-notes" }, n.info.map((spot) => [h("dt", { lang: spot.language }, spot.title), h("dd", { lang: spot.language }, spot.text)]))) : null,
    n.stop ? h("a", { href: `#/guide/${encodeURIComponent(slug)}?stop=${n.stop}` }, gettext("Listen")) : null));
  const mark = (current) => {
    for (const n of scenes) {
      const item = document.getElementById(`p-scene-${n.slug}`);
      if (item && n.slug === current) item.setAttribute("aria-current", "true"); else if (item) item.removeAttribute("aria-current");
    }
    box.dataset.scene = current;
  };
  let go = (target) => {  // without WebGL: the flat picture of the scene
    const n = scenes.find((x) => x.slug === target);
    picture.src = n.preview;
    picture.alt = n.title;
    mark(target);
  };
  box.dataset.mode = "flat";
  box.dataset.scene = start.slug;
  viewerStyles(state);
  try {
    const viewer = await import(state.config.viewer.module);
    if (viewer.webglWorks()) {
      setTimeout(() => {  // once the screen is in the page
        if (!box.isConnected) return;
        pano = viewer.mountTour(box, scenes, start.slug, viewerLabels(), mark);
        box.dataset.mode = "viewer";
        go = (target) => pano.go(target);
      }, 0);
    }
  } catch (error) { /* the viewer's files are not on the phone (offline, never downloaded): flat pictures */ }
  return [
    h("h1", {}, gettext("360° view")),
    scenes.some((n) => n.sample) ? h("p", { class: "notice" }, gettext("These panoramas are generated sample pictures standing in for photographs, which the department will add.")) : null,
    box,
    h("section", { "aria-labelledby": "p-scenes" }, h("h2", { id: "p-scenes" }, gettext("Scenes")), h("ol", { class: "stops" }, items)),
    h("p", {}, h("a", { href: `#/guide/${encodeURIComponent(slug)}` }, gettext("Back to the audio tour"))),
  ];
}

function makeSession(state, tour) {
  const audio = h("audio", { id: "g-audio", controls: true, preload: "none" });
  const s = { slug: tour.slug, lang: state.lang, tour, audio, current: null, watch: null, fence: null, pending: null, ui: {},
    heard: new Set() }; // stops heard on this visit, however started: walking past one later never replays it

  s.byNumber = (n) => s.tour.stops.find((stop) => stop.number === n);

  /* Show a stop in the player without playing it (a QR address opens here; autoplay needs a tap). */
  s.show = (number, scroll = true) => {
    const stop = s.byNumber(number);
    if (!stop) return null;
    s.current = stop;
    const n = stop.narration;
    s.ui.nowPlaying.textContent = `${stop.number}. ${stop.name}`;
    const note = narrationNote(state, stop);
    s.ui.note.hidden = !note;
    s.ui.note.textContent = note || "";
    s.ui.text.textContent = n ? n.script : "";
    s.ui.text.lang = n ? n.language : "";
    s.ui.caption.textContent = "";
    audio.replaceChildren();
    if (n && n.audio) {
      if (audio.dataset.qr !== stop.qr) {
        audio.src = n.audio.url;
        audio.lang = n.language;
        audio.dataset.qr = stop.qr;
      }
      const track = h("track", { kind: "captions", src: n.audio.transcript_url, srclang: n.language, label: languageName(state, n.language), default: true });
      audio.append(track);
      track.addEventListener("cuechange", () => {
        const cue = track.track.activeCues && track.track.activeCues[0];
        s.ui.caption.textContent = cue ? cue.text : "";
      });
    } else {
      audio.removeAttribute("src");
      delete audio.dataset.qr;
    }
    document.querySelectorAll(".stops li").forEach((li) => li.removeAttribute("aria-current"));
    const item = document.getElementById(`g-stop-${stop.number}`);
    if (item) {
      item.setAttribute("aria-current", "step");
      if (scroll) item.scrollIntoView({ block: "nearest" });
    }
    mediaSession(s, stop);
    return stop;
  };

  s.play = (number) => {
    const stop = s.show(number);
    if (!stop) {
      s.ui.nowPlaying.textContent = interpolate(gettext("No stop %(n)s on this tour."), { n: number || "?" });
      return;
    }
    s.heard.add(stop.qr);
    if (s.fence) s.fence.markHeard(stop.qr); // played by hand: walking past it later does not replay it
    if (stop.narration && stop.narration.audio) {
      // A browser may refuse to start sound by itself (a locked screen): the player is then one tap away.
      audio.play().then(() => count(state, stop)).catch(() => audio.focus());
    }
  };

  s.step = (delta) => {
    const stops = s.tour.stops;
    const index = s.current ? stops.indexOf(s.current) : -1;
    const next = stops[Math.min(stops.length - 1, Math.max(0, index + delta))];
    if (next) s.play(next.number);
  };

  audio.addEventListener("ended", () => {
    if (s.pending) {
      const next = s.pending;
      s.pending = null;
      delete audio.dataset.next;
      s.play(next);
    }
  });

  s.startWalking = () => {
    if (!navigator.geolocation) {
      s.ui.walkStatus.textContent = gettext("This phone cannot give its position here: tap a stop, type its number or scan its sign.");
      return;
    }
    const stops = s.tour.stops.map((stop) => ({ id: stop.qr, lat: stop.lat, lon: stop.lon, radius: stop.radius_m, auto: stop.auto_play }));
    s.fence = self.GuideGeofence.create(stops, { cooldownMs: WALK_COOLDOWN_MS });
    s.heard.forEach((qr) => s.fence.markHeard(qr));
    s.ui.walkStatus.textContent = gettext("Looking for your position…");
    s.watch = navigator.geolocation.watchPosition((position) => {
      const result = s.fence.update({ lat: position.coords.latitude, lon: position.coords.longitude, accuracy: position.coords.accuracy, time: position.timestamp });
      if (result.poor) s.ui.walkStatus.textContent = interpolate(gettext("Waiting for a more precise position (now ±%(m)s m)…"), { m: Math.round(position.coords.accuracy) });
      else s.ui.walkStatus.textContent = gettext("Automatic play is on: each stop plays when you reach it.");
      if (result.enter) {
        const stop = s.tour.stops.find((x) => x.qr === result.enter);
        if (!audio.paused && !audio.ended) { // never cut a narration short: this one follows it
          s.pending = stop.number;
          audio.dataset.next = String(stop.number);
        } else s.play(stop.number);
      }
    }, (error) => {
      if (error.code === 1) { // refused: for good
        s.stopWalking();
        s.ui.walkStatus.textContent = gettext("Location not allowed: tap a stop, type its number or scan its sign.");
      } else { // no fix for a while (under trees, indoors): keep listening for one
        s.ui.walkStatus.textContent = gettext("Your position is not available: tap a stop, type its number or scan its sign.");
      }
      s.ui.walkStatus.dataset.error = String(error.code);
    }, { enableHighAccuracy: true, maximumAge: 5000 });
    redrawWalk(s);
  };

  s.stopWalking = () => {
    if (s.watch != null && navigator.geolocation) navigator.geolocation.clearWatch(s.watch);
    s.watch = null;
    redrawWalk(s);
  };

  s.scan = async (status) => {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
      status.textContent = gettext("This browser cannot read QR codes: point your phone's camera app at the sign, or type the stop's number.");
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (error) {
      status.textContent = gettext("Camera not allowed: type the stop's number instead.");
      return;
    }
    const video = h("video", { playsinline: true, muted: true, "aria-label": gettext("Camera") });
    video.srcObject = stream;
    status.replaceChildren(video);
    await video.play();
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    const started = Date.now();
    const finish = (message) => { stream.getTracks().forEach((t) => t.stop()); status.textContent = message; };
    const look = async () => {
      const codes = await detector.detect(video).catch(() => []);
      const code = codes.length ? codes[0].rawValue : "";
      const qr = code.split("/").pop().toUpperCase();
      const stop = s.tour.stops.find((x) => x.qr === qr);
      if (stop) { finish(""); s.play(stop.number); return; }
      if (Date.now() - started > 30000) { finish(gettext("No sign of this tour was found: type the stop's number instead.")); return; }
      requestAnimationFrame(look);
    };
    look();
  };

  s.download = async (button, status) => {
    if (!window.caches) { status.textContent = gettext("This browser cannot keep files for offline use."); return; }
    button.disabled = true;
    const urls = [tourUrl(state, s.slug)];
    for (const stop of s.tour.stops) {
      const a = stop.narration && stop.narration.audio;
      if (a) urls.push(a.url, a.transcript_url);
      const p = (stop.photos || [])[0];
      if (p) urls.push(p.small_url || p.url);
    }
    if (s.tour.scene_count) {  // the 360° scenes: their data, panoramas and the viewer's own files
      try {
        const scenes = await (await fetch(scenesUrl(state, s.slug))).json();
        urls.push(scenesUrl(state, s.slug), ...state.config.viewer.files);
        for (const n of scenes.scenes) urls.push(n.panorama, n.preview);
      } catch (error) { /* the audio is still worth saving */ }
    }
    try {
      const cache = await caches.open(cacheName(s.slug, state.lang));
      let done = 0;
      for (const url of urls) {
        if (url === urls[0] || url.includes("/scenes?") || !(await cache.match(url))) { // data anew; files once
          const response = await fetch(url, { credentials: "omit" });
          if (!response.ok) throw new Error(response.status);
          await cache.put(url, response);
        }
        done += 1;
        status.textContent = interpolate(gettext("Downloaded %(done)s of %(total)s files"), { done, total: urls.length });
      }
      status.textContent = gettext("Saved on this phone: it plays without signal.");
      button.textContent = gettext("Download again");
    } catch (error) {
      status.textContent = explain(error);
    }
    button.disabled = false;
  };
  return s;
}

function redrawWalk(s) {
  if (!s.ui.walk) return;
  s.ui.walk.textContent = s.watch != null ? gettext("Stop automatic play") : gettext("Play automatically as I walk");
  s.ui.walk.setAttribute("aria-pressed", String(s.watch != null));
}

function mediaSession(s, stop) {
  if (!("mediaSession" in navigator) || typeof MediaMetadata === "undefined") return;
  navigator.mediaSession.metadata = new MediaMetadata({ title: `${stop.number}. ${stop.name}`, artist: s.tour.name, album: "Xứ Thanh" });
  const handlers = {
    play: () => s.audio.play(), pause: () => s.audio.pause(),
    previoustrack: () => s.step(-1), nexttrack: () => s.step(1),
  };
  for (const [action, handler] of Object.entries(handlers)) {
    try { navigator.mediaSession.setActionHandler(action, handler); } catch (error) { /* not supported */ }
  }
}

const counted = new Set();
function count(state, stop) {
  const key = `${stop.qr}:${stop.narration.language}`;
  if (counted.has(key) || !navigator.onLine) return;
  counted.add(key);
  fetch(`${state.api}guide/listens`, { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ qr: stop.qr, language: stop.narration.language }), keepalive: true }).catch(() => {});
}
