// The desk's coverage chart (Chart.js from npm): the reviewed share of published content per language and
// day, from the JSON block the page carries. The table above it says the same in words and numbers.
(function () {
  "use strict";
  var data = document.getElementById("coverage-data");
  var canvas = document.getElementById("coverage-chart");
  if (!data || !canvas || typeof Chart === "undefined") return;
  var chart = JSON.parse(data.textContent);
  var days = {};
  Object.keys(chart.series).forEach(function (lang) {
    chart.series[lang].forEach(function (point) { days[point.day] = true; });
  });
  var labels = Object.keys(days).sort();
  var palette = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457", "#455a64"];
  var datasets = Object.keys(chart.series).map(function (lang, i) {
    var byDay = {};
    chart.series[lang].forEach(function (point) { byDay[point.day] = point.reviewed; });
    return {
      label: chart.languages[lang] + (chart.plan.indexOf(lang) >= 0 ? " *" : ""),
      data: labels.map(function (day) { return day in byDay ? byDay[day] : null; }),
      borderColor: palette[i % palette.length],
      backgroundColor: palette[i % palette.length],
      borderWidth: chart.plan.indexOf(lang) >= 0 ? 3 : 1.5,
      spanGaps: true,
      tension: 0.2,
    };
  });
  new Chart(canvas, {
    type: "line",
    data: { labels: labels, datasets: datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
      plugins: { legend: { position: "bottom" } },
    },
  });
})();
