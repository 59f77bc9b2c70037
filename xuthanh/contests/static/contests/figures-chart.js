// The contests page's chart of entries, contributors and media added per year (Chart.js from npm); years whose
// figures are incomplete (a source did not give them) are drawn lighter. The table under it gives the numbers.
(function () {
  "use strict";
  var node = document.getElementById("contest-data");
  var canvas = document.getElementById("contest-chart");
  if (!node || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(node.textContent);
  var colours = { entries: "#1565c0", contributors: "#ef6c00", media: "#2e7d32" };
  var datasets = Object.keys(data.series).map(function (key) {
    return {
      label: data.labels[key],
      data: data.series[key],
      backgroundColor: data.estimated.map(function (e) { return e ? colours[key] + "66" : colours[key]; }),
      borderColor: colours[key],
      borderWidth: 1,
    };
  });
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.years, datasets: datasets },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { position: "bottom" } },
      scales: { y: { beginAtZero: true } } },
  });
})();
