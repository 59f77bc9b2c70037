/* A guided tour's map (progressive enhancement: the page already lists every stop with its player). Each stop
   is its trigger zone, numbered; a stop whose point is an estimate is drawn as the dashed area it may be in. */
(function () {
  "use strict";
  var el = document.getElementById("tour-map");
  var data = document.getElementById("tour-points");
  if (!el || !data || typeof window.L === "undefined") return;
  var points = JSON.parse(data.textContent);
  if (!points.length) return;
  el.hidden = false;
  var map = L.map(el, { scrollWheelZoom: false });
  L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var zone = p.approx
      ? L.circle([p.lat, p.lon], { radius: p.approx, color: "#8a5a00", dashArray: "6 4", fillOpacity: 0.08 })
      : L.circle([p.lat, p.lon], { radius: p.r, color: "#1d5c8a", fillOpacity: 0.2 });
    var link = document.createElement("a");
    link.href = p.href || "#stop-" + p.n;
    link.textContent = p.n + ". " + p.name;
    zone.bindTooltip(String(p.n), { permanent: true, direction: "center", className: "stop-number" });
    zone.bindPopup(link);
    zone.addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 17 });
})();
