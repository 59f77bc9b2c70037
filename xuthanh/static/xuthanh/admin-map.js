// Admin map widget: a Leaflet map under the latitude input; clicking or dragging fills lat/lon.
// Without Leaflet (no JS, library missing) the number inputs keep working on their own.
(function () {
  "use strict";
  function init(box) {
    if (!window.L) { box.style.display = "none"; return; }
    var latInput = document.getElementById(box.dataset.latInput);
    var lonInput = document.getElementById(box.dataset.latInput.replace(/lat$/, "lon"));
    if (!latInput || !lonInput) { return; }
    var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
    var has = isFinite(lat) && isFinite(lon);
    if (box.dataset.icon) {
      L.Icon.Default.imagePath = ""; // our URLs are whole: Leaflet would prefix its guessed folder again
      L.Icon.Default.mergeOptions({ iconUrl: box.dataset.icon, iconRetinaUrl: box.dataset.icon2x, shadowUrl: box.dataset.shadow });
    }
    var map = L.map(box).setView(has ? [lat, lon] : [19.95, 105.45], has ? 13 : 8);
    L.tileLayer(box.dataset.tileUrl, { maxZoom: 19, attribution: box.dataset.tileAttribution }).addTo(map);
    var marker = null;
    function place(latlng) {
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
      if (marker) { marker.setLatLng(latlng); return; }
      marker = L.marker(latlng, { draggable: true }).addTo(map);
      marker.on("dragend", function () { place(marker.getLatLng()); });
    }
    if (has) { place(L.latLng(lat, lon)); }
    map.on("click", function (e) { place(e.latlng); });
    function fromInputs() {
      var la = parseFloat(latInput.value), lo = parseFloat(lonInput.value);
      if (isFinite(la) && isFinite(lo)) { place(L.latLng(la, lo)); map.panTo([la, lo]); }
    }
    latInput.addEventListener("change", fromInputs);
    lonInput.addEventListener("change", fromInputs);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".xt-map-point").forEach(init);
  });
})();
