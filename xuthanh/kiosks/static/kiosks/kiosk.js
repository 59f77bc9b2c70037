/* The kiosk screen's behaviour (plain script; the pages work without it on a desk browser):
   - set-up (/kiosk/): the one-time code typed on the screen is exchanged for the device token (kept in this
     machine's localStorage), then the kiosk opens its location's pages;
   - privacy: after the device's idle time untouched, it goes back to its home screen (a new page: nothing
     typed stays; session storage cleared) and shows the attract loop until touched;
   - an on-screen keyboard for the search (accents are not needed: the search folds them);
   - the map of "near here" with "you are here";
   - anonymous use counted on the machine (sessions, languages chosen, searches, QR hand-offs shown) and
     carried by the next heartbeat;
   - a heartbeat every minute with the token (version, uptime, content version, free storage); the answer's
     commands are carried out (reload, a message, a content group) and its settings kept; a revoked token
     sends the machine back to set-up;
   - what its content group features shown, the other groups' hidden;
   - the screen dark outside the device's screen hours (a touch wakes it);
   - the pages kept by the service worker (sw.js) for network cuts; they are fetched from the network first,
     so each idle reset brings the current content and software. */
(function () {
  "use strict";
  var VERSION = "kiosk-1";
  var body = document.body;
  var stored = function (key) { try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; } };
  var settings = stored("kiosk.settings") || {};
  var token = localStorage.getItem("kiosk.token");

  if (body.classList.contains("kiosk-start")) {
    if (token && settings.location) {
      location.replace("/kiosk/" + (settings.languages && settings.languages[0] || "vi") + "/" + settings.location + "/");
      return;
    }
    var form = document.getElementById("enrol");
    var status = document.getElementById("enrol-status");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      status.textContent = "…";
      fetch("/api/v1/kiosks/enrol", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ code: form.code.value }) })
        .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (answer) {
          if (!answer.ok) { status.textContent = answer.data.message || "Error"; return; }
          localStorage.setItem("kiosk.token", answer.data.token);
          localStorage.setItem("kiosk.settings", JSON.stringify(answer.data.settings));
          location.replace("/kiosk/" + (answer.data.settings.languages[0] || "vi") + "/" + answer.data.settings.location + "/");
        })
        .catch(function () { status.textContent = "Network error"; });
    });
    return;
  }

  /* ---- anonymous use, counted on the machine until the next heartbeat carries it ---- */
  function countUse(change) {
    var use = stored("kiosk.use") || { sessions: 0, handoffs: 0, languages: {}, searches: {} };
    change(use);
    localStorage.setItem("kiosk.use", JSON.stringify(use));
  }
  function sessionTouch() {
    var lang = body.dataset.lang;
    var seen;
    try { seen = JSON.parse(sessionStorage.getItem("kiosk.langs") || "null"); } catch (e) { seen = null; }
    countUse(function (use) {
      if (seen === null) use.sessions += 1;  // the first touch since the last reset
      if (lang && (seen === null || seen.indexOf(lang) < 0)) use.languages[lang] = (use.languages[lang] || 0) + 1;
    });
    seen = seen || [];
    if (lang && seen.indexOf(lang) < 0) seen.push(lang);
    try { sessionStorage.setItem("kiosk.langs", JSON.stringify(seen)); } catch (e) { /* private mode */ }
  }
  var query = new URLSearchParams(location.search).get("q");
  if (query && sessionStorage.getItem("kiosk.langs") !== null) {
    countUse(function (use) { use.searches[query.slice(0, 100)] = (use.searches[query.slice(0, 100)] || 0) + 1; });
  }
  if (document.querySelector(".kiosk-qrs") && sessionStorage.getItem("kiosk.langs") !== null) {
    countUse(function (use) { use.handoffs += 1; });
  }
  document.addEventListener("pointerdown", sessionTouch, true);

  /* ---- what this kiosk's content group features (the others' items hidden) ---- */
  function showGroup() {
    document.querySelectorAll("[data-group]").forEach(function (item) {
      item.hidden = item.dataset.group !== "" && item.dataset.group !== (settings.group || "");
    });
    var featured = document.querySelector(".kiosk-featured");
    if (featured) featured.hidden = !featured.querySelector("li:not([hidden])");
  }
  showGroup();

  /* ---- idle reset and the attract loop ---- */
  var idleSeconds = Number(settings.idle_seconds || body.dataset.idle || 90);
  var home = body.dataset.home;
  var attract = document.getElementById("attract");
  var timer = null;
  var woken = false;
  // the next visitor is greeted in the kiosk's first language, not in the previous visitor's
  if (settings.languages && settings.languages[0]) home = home.replace(/^\/kiosk\/[^/]+\//, "/kiosk/" + settings.languages[0] + "/");
  function idle() {
    try { sessionStorage.clear(); } catch (e) { /* private mode */ }
    woken = false;
    screenHours();
    if (location.pathname !== home || location.search) { location.replace(home); return; }
    if (attract) { attract.hidden = false; body.classList.add("attract-on"); }
  }
  function touched() {
    if (attract && !attract.hidden) { attract.hidden = true; body.classList.remove("attract-on"); }
    clearTimeout(timer);
    timer = setTimeout(idle, idleSeconds * 1000);
  }
  ["pointerdown", "keydown", "input", "wheel"].forEach(function (kind) { document.addEventListener(kind, touched, true); });
  touched();

  /* ---- screen hours: outside them the screen goes dark (a touch wakes it until the next idle reset) ---- */
  function screenHours() {
    if (!settings.screen_on || !settings.screen_off) return;
    var now = new Date();
    var hhmm = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
    var on = settings.screen_on, off = settings.screen_off;
    // past midnight (05:00–01:00) the hours wrap; equal times: all day
    var open = on === off || (on < off ? on <= hhmm && hhmm < off : hhmm >= on || hhmm < off);
    body.classList.toggle("screen-off", !open && !woken);
  }
  document.addEventListener("pointerdown", function () {
    if (body.classList.contains("screen-off")) { woken = true; body.classList.remove("screen-off"); }
  }, true);
  screenHours();
  setInterval(screenHours, 30000);

  /* ---- the on-screen keyboard ---- */
  var keyboard = document.getElementById("kiosk-keyboard");
  if (keyboard) {
    var input = document.getElementById(keyboard.dataset.for);
    var rows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];
    rows.forEach(function (row) {
      var line = document.createElement("div");
      row.split("").forEach(function (ch) {
        var key = document.createElement("button");
        key.type = "button"; key.textContent = ch; key.dataset.key = ch;
        line.appendChild(key);
      });
      keyboard.appendChild(line);
    });
    var last = document.createElement("div");
    [["space", keyboard.dataset.space], ["erase", keyboard.dataset.erase]].forEach(function (pair) {
      var key = document.createElement("button");
      key.type = "button"; key.textContent = pair[1]; key.dataset.key = pair[0]; key.className = "wide";
      last.appendChild(key);
    });
    keyboard.appendChild(last);
    keyboard.addEventListener("click", function (event) {
      var key = event.target.closest("button");
      if (!key) return;
      if (key.dataset.key === "erase") input.value = input.value.slice(0, -1);
      else if (key.dataset.key === "space") input.value += " ";
      else input.value += key.dataset.key;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    keyboard.hidden = false;
  }

  /* ---- the map of near here ---- */
  var mapBox = document.getElementById("kiosk-map");
  var pointsData = document.getElementById("kiosk-points");
  window.addEventListener("load", function () {
    if (!mapBox || !pointsData || typeof window.L === "undefined") return;
    var points = JSON.parse(pointsData.textContent);
    mapBox.hidden = false;
    var map = L.map(mapBox, { zoomControl: true });
    L.tileLayer(mapBox.dataset.tiles, { attribution: mapBox.dataset.attribution, maxZoom: 18 }).addTo(map);
    var bounds = [[points.here.lat, points.here.lon]];
    L.circleMarker([points.here.lat, points.here.lon], { radius: 12, color: "#b3261e", fillOpacity: 0.9 })
      .bindTooltip(mapBox.dataset.here, { permanent: true, direction: "top" }).addTo(map);
    points.places.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], { radius: 9, color: "#0b4f7c", fillOpacity: 0.6 })
        .bindTooltip(String(p.n), { permanent: true, direction: "center" }).addTo(map);
      bounds.push([p.lat, p.lon]);
    });
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 });
  });

  /* ---- the heartbeat and its commands ---- */
  var message = document.getElementById("kiosk-message");
  function carryOut(command) {
    var done = stored("kiosk.acks") || [];
    if (done.indexOf(command.id) >= 0) return;  // carried out already; the ack is on its way
    done.push(command.id);
    localStorage.setItem("kiosk.acks", JSON.stringify(done));  // before a reload, so it is acknowledged
    if (command.kind === "reload") location.reload();
    else if (command.kind === "message" && message) {
      message.textContent = (command.payload && command.payload.text) || "";
      message.hidden = false;
      setTimeout(function () { message.hidden = true; }, 30000);
    } else if (command.kind === "group") {
      settings.group = command.payload && command.payload.group || "";
      localStorage.setItem("kiosk.settings", JSON.stringify(settings));
      showGroup();
    }
  }
  function batch() {
    // the counts on their way keep their id until the server has them: a lost answer never counts them twice
    var sending = stored("kiosk.use.sending");
    if (!sending) {
      var use = stored("kiosk.use");
      if (!use) return null;
      use.id = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
      localStorage.setItem("kiosk.use.sending", JSON.stringify(use));
      localStorage.removeItem("kiosk.use");
      sending = use;
    }
    return sending;
  }
  function beat() {
    if (!token || !window.fetch) return;
    var use = batch();
    var acks = stored("kiosk.acks") || [];
    var send = function (freeMb) {
      fetch("/api/v1/kiosks/heartbeat", {
        method: "POST", keepalive: true,  // not cut by the next page
        headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token },
        body: JSON.stringify({ version: VERSION, uptime_s: Math.floor(performance.now() / 1000),
          content_version: settings.content_version || "", free_mb: freeMb,
          screen_on: !document.hidden && !body.classList.contains("screen-off"), use: use, ack: acks.slice(0, 50) }),
      }).then(function (r) {
        if (r.status === 401) { localStorage.removeItem("kiosk.token"); location.replace("/kiosk/"); return null; }
        if (r.status === 413 || r.status === 422) localStorage.removeItem("kiosk.use.sending");  // never blocks
        return r.ok ? r.json() : null;
      }).then(function (answer) {
        if (!answer) return;
        localStorage.removeItem("kiosk.use.sending");
        var pending = answer.commands.map(function (c) { return c.id; });
        localStorage.setItem("kiosk.acks", JSON.stringify((stored("kiosk.acks") || []).filter(function (id) {
          return pending.indexOf(id) >= 0 || acks.indexOf(id) < 0; })));
        settings = Object.assign(settings, answer.settings);
        localStorage.setItem("kiosk.settings", JSON.stringify(settings));
        showGroup();
        answer.commands.forEach(carryOut);
      }).catch(function () { /* offline: the pages stay, the next beat tries again */ });
    };
    if (navigator.storage && navigator.storage.estimate) {
      navigator.storage.estimate().then(function (e) { send(Math.floor(((e.quota || 0) - (e.usage || 0)) / 1048576)); }, function () { send(0); });
    } else send(0);
  }
  if (token) { beat(); setInterval(beat, 60000); }

  /* ---- offline: the service worker keeps the pages; from home, the sections are fetched ahead ---- */
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/kiosk/sw.js", { scope: "/kiosk/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (!body.classList.contains("section-home")) return;  // fetched ahead from the home screen only
      var links = Array.prototype.map.call(document.querySelectorAll(".kiosk-tabs a, .kiosk-tiles a, .kiosk-langs a, .kiosk-list a"),
        function (a) { return a.getAttribute("href"); });
      if (registration.active) registration.active.postMessage({ warm: links });
    }).catch(function () { /* no worker: the pages still work online */ });
  }
})();
