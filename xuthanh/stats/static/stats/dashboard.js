// The statistics dashboard's charts (Chart.js from npm) and commune map (Leaflet from npm), drawn from the
// JSON block the page carries; the tables on the page give the same numbers in words.
(function () {
  "use strict";
  var node = document.getElementById("stats-data");
  if (!node) return;
  var data = JSON.parse(node.textContent);
  var L10N = data.labels;
  var months = data.months;
  var values = function (series, key) { return series.map(function (p) { return p[key]; }); };

  function chart(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") return;
    config.options = Object.assign({ animation: false, maintainAspectRatio: false,
      plugins: { legend: { position: "bottom" } } }, config.options || {});
    new Chart(canvas, config);
  }

  chart("chart-guests", { type: "bar", data: { labels: months, datasets: [
    { label: L10N.guests, data: values(data.guests, "value"), backgroundColor: "#1565c0" },
    { label: L10N.international, data: values(data.international, "value"), backgroundColor: "#ef6c00" },
    { label: L10N.previous, data: values(data.guests, "previous"), type: "line", borderColor: "#455a64",
      backgroundColor: "#455a64", borderDash: [6, 4], spanGaps: true },
    { label: L10N.travel, data: values(data.travel, "value"), type: "line", borderColor: "#2e7d32",
      backgroundColor: "#2e7d32", spanGaps: true },
  ] } });
  chart("chart-markets", { type: "bar", data: { labels: data.markets.map(function (m) { return m.label; }),
    datasets: [{ label: L10N.markets, data: data.markets.map(function (m) { return m.value; }), backgroundColor: "#6a1b9a" }] },
    options: { indexAxis: "y" } });
  chart("chart-classes", { type: "bar", data: { labels: data.classes.map(function (m) { return m.label; }),
    datasets: [{ label: L10N.occupancy, data: data.classes.map(function (m) { return m.value; }), backgroundColor: "#00838f" }] },
    options: { scales: { y: { min: 0, max: 100 } } } });
  chart("chart-revenue", { type: "line", data: { labels: months, datasets: [
    { label: L10N.revenue, data: values(data.revenue, "value"), borderColor: "#c62828", backgroundColor: "#c62828", spanGaps: true },
    { label: L10N.previous, data: values(data.revenue, "previous"), borderColor: "#455a64", backgroundColor: "#455a64",
      borderDash: [6, 4], spanGaps: true },
  ] } });
  chart("chart-filing", { type: "bar", data: { labels: values(data.filing, "month").map(function (m) { return m.slice(0, 7); }),
    datasets: [{ label: L10N.filed, data: values(data.filing, "rate"), backgroundColor: "#2e7d32" }] },
    options: { scales: { y: { min: 0, max: 100 } } } });

  var box = document.getElementById("stats-map");
  if (box && typeof L !== "undefined" && data.communes.length) {
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(box.dataset.tileUrl, { maxZoom: 18, attribution: box.dataset.tileAttribution }).addTo(map);
    var top = Math.max.apply(null, data.communes.map(function (c) { return c.value; }));
    var group = L.featureGroup();
    data.communes.forEach(function (c) {
      var circle = L.circleMarker([c.lat, c.lon], { radius: 4 + 26 * Math.sqrt(c.value / top), color: "#0d47a1",
        weight: 1, fillColor: "#1565c0", fillOpacity: 0.45 });
      var link = document.createElement("a");
      link.href = c.url;
      link.textContent = c.name + ": " + Math.round(c.value).toLocaleString();
      circle.bindPopup(link);
      group.addLayer(circle);
    });
    group.addTo(map);
    map.fitBounds(group.getBounds().pad(0.1));
  }
})();
