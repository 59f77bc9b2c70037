// The wifi dashboard's charts (Chart.js from npm), from the page's JSON block; the tables give the figures.
(function () {
  "use strict";
  var node = document.getElementById("wifi-data");
  if (!node) return;
  var data = JSON.parse(node.textContent);
  window.addEventListener("load", function () {
    if (typeof Chart === "undefined") return;
    var cover = document.getElementById("chart-coverage");
    if (cover) {
      new Chart(cover, { type: "line", data: { labels: data.years, datasets: [
        { label: data.labels.wifi, data: data.wifi, borderColor: "#0b5d4b", backgroundColor: "#0b5d4b" },
        { label: data.labels.wifi_target, data: data.wifi_target, borderColor: "#0b5d4b", borderDash: [6, 4], pointRadius: 0 },
        { label: data.labels.kiosk, data: data.kiosk, borderColor: "#1565c0", backgroundColor: "#1565c0" },
        { label: data.labels.kiosk_target, data: data.kiosk_target, borderColor: "#1565c0", borderDash: [6, 4], pointStyle: "rectRot" }
      ] }, options: { animation: false, maintainAspectRatio: false, spanGaps: false, scales: { y: { min: 0, max: 100 } },
        plugins: { legend: { position: "bottom" } } } });
    }
    var days = document.getElementById("chart-days");
    if (days) {
      new Chart(days, { data: { labels: data.days, datasets: [
        { type: "bar", label: data.labels.sessions, data: data.sessions, backgroundColor: "#7cb342" },
        { type: "line", label: data.labels.peak, data: data.peak, borderColor: "#6a1b9a", backgroundColor: "#6a1b9a" }
      ] }, options: { animation: false, maintainAspectRatio: false, scales: { y: { min: 0 } },
        plugins: { legend: { position: "bottom" } } } });
    }
  });
})();
