// Bar charts from JSON (Chart.js from npm), for the back office and public pages: a campaign's clicks per day
// stacked by market, campaigns compared outcome by outcome, the plan's budget per source and year. Each
// <canvas data-chart="id"> reads the JSON script of that id:
// {labels, series: {name: [values]}, stacked, label}. The tables beside them give the figures.
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  var palette = ["#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f", "#5d4037", "#9e9d24", "#ad1457",
    "#283593", "#00695c"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var node = document.getElementById(canvas.dataset.chart);
    if (!node) return;
    var data = JSON.parse(node.textContent);
    var datasets = Object.keys(data.series).map(function (name, i) {
      return { label: name, data: data.series[name], backgroundColor: palette[i % palette.length] };
    });
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: { animation: false, maintainAspectRatio: false, plugins: { legend: { position: "bottom" } },
        scales: { x: { stacked: data.stacked }, y: { stacked: data.stacked, beginAtZero: true,
          title: { display: true, text: data.label } } } },
    });
  });
})();
