/* Location on the device only: asked after a tap, kept in memory, never sent to the server (except by a
   request that needs it, such as planning a trip from here). Directions open the phone's own map app. */
let last = null;

export function haversineKm(lat1, lon1, lat2, lon2) {
  const r = (d) => (d * Math.PI) / 180;
  const a = Math.sin(r(lat2 - lat1) / 2) ** 2 + Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lon2 - lon1) / 2) ** 2;
  return 6371.0088 * 2 * Math.asin(Math.sqrt(a));
}

export function lastPosition() {
  return last;
}

export function locate() {
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) return reject(new Error("unsupported"));
    navigator.geolocation.getCurrentPosition(
      (pos) => { last = { lat: pos.coords.latitude, lon: pos.coords.longitude, accuracy: pos.coords.accuracy }; resolve(last); },
      (error) => reject(error),
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 120000 }
    );
  });
}

export function byDistance(items, from, limit = 20) {
  return items
    .filter((item) => item.lat != null && item.lon != null)
    .map((item) => [haversineKm(from.lat, from.lon, item.lat, item.lon), item])
    .sort((a, b) => a[0] - b[0])
    .slice(0, limit);
}

export function platform(ua = navigator.userAgent) {
  if (/android/i.test(ua)) return "android";
  if (/iphone|ipad|ipod/i.test(ua) || (/macintosh/i.test(ua) && navigator.maxTouchPoints > 1)) return "ios";
  return "web";
}

/* Turn-by-turn directions in the phone's map app: geo: on Android, Apple Maps on iOS, else a web map. */
export function directionsUrl(lat, lon, name, kind = platform()) {
  const point = `${lat},${lon}`;
  if (kind === "android") return `geo:${point}?q=${point}(${encodeURIComponent(name || "")})`;
  if (kind === "ios") return `https://maps.apple.com/?daddr=${point}&q=${encodeURIComponent(name || "")}`;
  return `https://www.openstreetmap.org/directions?to=${point}#map=15/${lat}/${lon}`;
}
