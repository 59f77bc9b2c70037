/* The kiosk's service worker (scope /kiosk/): its pages, and the static and media files they use, from the
   network when it answers and from the last copy when it does not, so a network cut never blanks the screen.
   A page asks for its links to be fetched ahead ({warm: [urls]}). */
const CACHE = "kiosk-pages";
const STATIC_URL = {{ static|tojson }};

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && request.method === "GET") await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreVary: true });
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/kiosk/") || url.pathname.startsWith(STATIC_URL) || url.pathname.startsWith("/media/")) {
    event.respondWith(networkFirst(event.request));
  }
});

self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.warm) || [];
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.filter((u) => u && u.startsWith("/kiosk/"))
    .map((u) => fetch(u).then((r) => (r.ok ? cache.put(u, r) : null)).catch(() => null)))));
});
