// Contest pages, progressively enhanced: the vote button without leaving the page (the form works without it),
// the entry form's map (a click fills the latitude and longitude fields), the certificate's print button.
for (const form of document.querySelectorAll("form[data-vote]")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const output = form.querySelector("output");
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const answer = await fetch(form.action, {method: "POST", body: new FormData(form),
        headers: {Accept: "application/json"}, credentials: "same-origin"});
      const data = await answer.json();
      output.textContent = data.error || form.dataset.counted.replace("{n}", String(data.votes));
      if (data.error && answer.status === 401) window.location.href = form.dataset.login;
    } catch (error) {
      form.submit();
    } finally {
      button.disabled = false;
    }
  });
}
for (const button of document.querySelectorAll("[data-print]")) button.addEventListener("click", () => window.print());

window.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("entry-map");
  if (!el || typeof L === "undefined") return;
  const lat = document.getElementById("id_lat");
  const lon = document.getElementById("id_lon");
  const choice = document.getElementById("id_place");
  el.hidden = false;
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({iconUrl: el.dataset.icon, iconRetinaUrl: el.dataset.icon2x, shadowUrl: el.dataset.shadow});
  const map = L.map(el, {scrollWheelZoom: false}).setView([19.95, 105.6], 9);
  L.tileLayer(el.dataset.tiles, {attribution: el.dataset.attribution, maxZoom: 18}).addTo(map);
  let marker = null;
  const put = (point) => { if (marker) marker.setLatLng(point); else marker = L.marker(point).addTo(map); };
  if (lat.value && lon.value) put([parseFloat(lat.value), parseFloat(lon.value)]);
  map.on("click", (event) => {
    put(event.latlng);
    lat.value = event.latlng.lat.toFixed(5);
    lon.value = event.latlng.lng.toFixed(5);
    if (choice) choice.value = "";
  });
});
