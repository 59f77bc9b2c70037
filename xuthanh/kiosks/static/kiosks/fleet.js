// The kiosk fleet's dashboard: the fleet's daily uptime (Chart.js from npm) and the locations' map (Leaflet
// from npm), from the page's JSON block; the table on the page gives each kiosk in words.
(function () {
  "use strict";
  var node = document.getElementById("fleet-data");
  if (!node) return;
  var data = JSON.parse(node.textContent);
  window.addEventListener("load", function () {
    var canvas = document.getElementById("chart-uptime");
    if (canvas && typeof Chart !== "undefined") {
      new Chart(canvas, { type: "line", data: { labels: data.days, datasets: [{ label: data.label, data: data.daily,
        borderColor: "#1565c0", backgroundColor: "#1565c0", spanGaps: false }] },
        options: { animation: false, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } },
          plugins: { legend: { position: "bottom" } } } });
    }
    var box = document.getElementById("fleet-map");
    if (box && typeof L !== "undefined" && data.locations.length) {
      var map = L.map(box);
      L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 18 }).addTo(map);
      var bounds = [];
      data.locations.forEach(function (loc) {
        var ok = loc.working >= loc.planned;
        var label = document.createElement("span");  // text, never markup: names are typed by people
        label.textContent = loc.name + ": " + loc.working + "/" + loc.planned;
        L.circleMarker([loc.lat, loc.lon], { radius: 10, color: ok ? "#2e7d32" : "#b3261e", fillOpacity: 0.7 })
          .bindTooltip(label).addTo(map);
        bounds.push([loc.lat, loc.lon]);
      });
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 12 });
    }
  });
})();
