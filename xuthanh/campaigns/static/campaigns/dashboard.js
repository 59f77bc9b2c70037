// A campaign's dashboard: clicks per day, stacked by market (Chart.js from npm). The tables give the figures.
(function () {
  "use strict";
  var node = document.getElementById("campaign-data");
  var canvas = document.getElementById("chart-clicks");
  if (!node || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(node.textContent);
  var palette = ["#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f", "#5d4037", "#9e9d24", "#ad1457",
    "#283593", "#00695c"];
  var datasets = Object.keys(data.series).map(function (market, i) {
    return { label: market, data: data.series[market], backgroundColor: palette[i % palette.length] };
  });
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.days, datasets: datasets },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { position: "bottom" } },
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: data.label } } } },
  });
})();
