// The statistics page's chart of the published figures (Chart.js from npm); estimates are drawn hatched
// lighter. The table under it gives every number with its source.
(function () {
  "use strict";
  var node = document.getElementById("official-data");
  var canvas = document.getElementById("official-chart");
  if (!node || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(node.textContent);
  var colours = { visitors_total: "#1565c0", visitors_international: "#ef6c00", revenue_bn_vnd: "#2e7d32" };
  var datasets = Object.keys(data.series).map(function (key) {
    var points = data.series[key];
    return {
      label: data.labels[key],
      data: points.map(function (p) { return p ? p.value : null; }),
      backgroundColor: points.map(function (p) { return p && p.estimated ? colours[key] + "66" : colours[key]; }),
      borderColor: colours[key],
      borderWidth: 1,
      yAxisID: key === "revenue_bn_vnd" ? "money" : "people",
      type: key === "revenue_bn_vnd" ? "line" : "bar",
    };
  });
  new Chart(canvas, {
    data: { labels: data.years, datasets: datasets },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { position: "bottom" } },
      scales: { people: { position: "left", beginAtZero: true }, money: { position: "right", beginAtZero: true,
        grid: { drawOnChartArea: false } } } },
  });
})();
