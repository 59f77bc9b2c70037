/* Trip planner pages (progressive enhancement): every action is a plain form that works without this file.
   With it: a map to pick the hotel, one map per day with numbered stops, changes applied in place (the form
   posts, the re-planned trip replaces the old one without a page load), copy and print buttons. */
(function () {
  "use strict";
  var hasLeaflet = typeof window.L !== "undefined";

  function tiles(el, map) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
  }

  function hotelMap() {
    var el = document.getElementById("hotel-map");
    if (!el || !hasLeaflet) return;
    var lat = document.getElementById("id_hotel_lat");
    var lon = document.getElementById("id_hotel_lon");
    var choice = document.getElementById("id_hotel");
    el.hidden = false;
    if (el.dataset.icon) {
      L.Icon.Default.imagePath = ""; // our URLs are whole: Leaflet would prefix its guessed folder again
      L.Icon.Default.mergeOptions({ iconUrl: el.dataset.icon, iconRetinaUrl: el.dataset.icon2x, shadowUrl: el.dataset.shadow });
    }
    var map = L.map(el, { scrollWheelZoom: false }).setView([19.95, 105.6], 9);
    tiles(el, map);
    var marker = null;
    function place(latlng) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.marker(latlng).addTo(map);
    }
    if (lat.value && lon.value) place([parseFloat(lat.value), parseFloat(lon.value)]);
    map.on("click", function (event) {
      place(event.latlng);
      lat.value = event.latlng.lat.toFixed(5);
      lon.value = event.latlng.lng.toFixed(5);
      if (choice) choice.value = "__point";
    });
  }

  function dayMaps(root) {
    if (!hasLeaflet) return;
    root.querySelectorAll(".day-map").forEach(function (el) {
      var data = document.getElementById(el.dataset.points);
      if (!data) return;
      var points = JSON.parse(data.textContent);
      el.hidden = false;
      var map = L.map(el, { scrollWheelZoom: false });
      tiles(el, map);
      var line = [];
      points.forEach(function (p) {
        var icon = L.divIcon({ className: "stop-number", html: "<span>" + p.n + "</span>", iconSize: [26, 26] });
        var marker = L.marker([p.lat, p.lon], { icon: icon, title: p.n + ". " + p.label, alt: p.label, keyboard: false });
        marker.bindTooltip(p.n + ". " + p.label);
        marker.addTo(map);
        line.push([p.lat, p.lon]);
      });
      L.polyline(line, { color: "#8a1c1c", weight: 3, opacity: 0.8, dashArray: "6 6" }).addTo(map);
      map.fitBounds(line, { padding: [24, 24], maxZoom: 13 });
    });
  }

  function status(text) {
    var box = document.getElementById("trip-status");
    if (box) {
      box.textContent = "";
      var p = document.createElement("p");
      p.className = "message";
      p.textContent = text;
      box.appendChild(p);
    }
  }

  function inPlace() {
    var body = document.getElementById("trip-body");
    if (!body || !window.fetch || !window.DOMParser) return;
    body.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList || !form.classList.contains("replan") || form.dataset.plain) return;
      event.preventDefault();
      var submitter = event.submitter;
      var data = new FormData(form);
      if (submitter && submitter.name) data.append(submitter.name, submitter.value);
      body.setAttribute("aria-busy", "true");
      status(body.dataset.working || "…");
      fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          var landed = new URL(response.url, location.href);
          if (landed.pathname !== location.pathname) { // a change from a share link made a new trip: go to it
            location.assign(landed.href);
            return null;
          }
          return response.text();
        })
        .then(function (html) {
          if (html === null) return;
          var next = new DOMParser().parseFromString(html, "text/html").getElementById("trip-body");
          if (!next) throw new Error("no trip");
          body.innerHTML = next.innerHTML;
          body.removeAttribute("aria-busy");
          setup(body);
          var live = document.getElementById("trip-status");
          if (live) live.focus({ preventScroll: true });
        })
        .catch(function () {
          form.dataset.plain = "1"; // fall back to the ordinary form post
          if (form.requestSubmit) form.requestSubmit(submitter || undefined);
          else form.submit();
        });
    });
  }

  function buttons(root) {
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      var input = document.getElementById(button.dataset.copy);
      if (!input || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(function () {
          button.textContent = "✓";
        });
      });
    });
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function setup(root) {
    dayMaps(root);
    buttons(root);
  }

  hotelMap();
  setup(document);
  inPlace();
})();
