/* The map screen's Leaflet map, loaded only when the map is opened (the list works without it). Tiles come
   from the network, or from Cache Storage for downloaded areas (the service worker answers). */
let loading = null;

function load(config) {
  if (window.L) return Promise.resolve(window.L);
  if (loading) return loading;
  loading = new Promise((resolve, reject) => {
    for (const href of config.leaflet.filter((u) => u.endsWith(".css"))) {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.append(link);
    }
    const scripts = config.leaflet.filter((u) => u.endsWith(".js"));
    const next = () => {
      const src = scripts.shift();
      if (!src) return resolve(window.L);
      const script = document.createElement("script");
      script.src = src;
      script.onload = next;
      script.onerror = () => { loading = null; reject(new Error("leaflet")); };
      document.head.append(script);
    };
    next();
  });
  return loading;
}

/* `order`: the places are a day's (or a guided tour's) stops, joined in their order by straight lines (not the
   roads); a place's `href`, when given, is where its popup leads (else its page). */
export async function showMap(el, config, places, { position = null, onOpen, order = false } = {}) {
  const L = await load(config);
  el.hidden = false;
  L.Icon.Default.imagePath = ""; // our URLs are whole: Leaflet would prefix its guessed folder again
  L.Icon.Default.mergeOptions({ iconUrl: config.icons.icon, iconRetinaUrl: config.icons.icon2x, shadowUrl: config.icons.shadow });
  const map = L.map(el, { scrollWheelZoom: false }).setView([19.95, 105.5], 8);
  L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 18 }).addTo(map);
  const layer = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup() : L.layerGroup();
  const bounds = [];
  for (const p of places) {
    // An unchecked point is shown as an area, never as a pin that looks exact.
    const marker = p.approx
      ? L.circleMarker([p.lat, p.lon], { radius: 9, color: "#8a5a00", dashArray: "4 3", fillOpacity: 0.15 })
      : L.marker([p.lat, p.lon], { title: p.name, alt: p.name });
    const link = document.createElement("a");
    link.href = p.href || `#/place/${p.slug}`;
    link.textContent = p.name;
    marker.bindPopup(link);
    if (onOpen) marker.on("click", () => onOpen(p));
    layer.addLayer(marker);
    bounds.push([p.lat, p.lon]);
  }
  layer.addTo(map);
  if (order && bounds.length > 1) L.polyline(bounds, { color: "#8a1c1c", weight: 3, opacity: 0.7, dashArray: "6 6" }).addTo(map);
  if (position) {
    L.circleMarker([position.lat, position.lon], { radius: 8, color: "#0b5d4b", fillOpacity: 0.8 }).addTo(map);
    bounds.push([position.lat, position.lon]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
  return map;
}
