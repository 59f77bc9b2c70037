/* Counts a narration once per page when it starts playing (anonymous: the stop's code or the place and the
   language, nothing about the listener), and lets one narration play at a time. */
(function () {
  "use strict";
  var counted = {};
  document.addEventListener("play", function (event) {
    var audio = event.target;
    if (!(audio instanceof HTMLAudioElement) || !audio.classList.contains("narration")) return;
    document.querySelectorAll("audio.narration").forEach(function (other) {
      if (other !== audio) other.pause();
    });
    var key = audio.dataset.listenStop || audio.dataset.listenPlace;
    if (!key || counted[key] || !window.fetch) return;
    counted[key] = true;
    var body = { language: audio.lang };
    if (audio.dataset.listenStop) body.qr = audio.dataset.listenStop; else body.place = audio.dataset.listenPlace;
    fetch("/api/v1/guide/listens", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body), keepalive: true }).catch(function () {});
  }, true);
})();
