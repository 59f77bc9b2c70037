/* The kiosk's service worker (scope /kiosk/): its pages, and the static and media files they use, from the
   network when it answers and from the last copy when it does not, so a network cut never blanks the screen.
   A page asks for its links to be fetched ahead ({warm: [urls]}). Pages with a query (a visitor's search)
   and private answers are never kept; at most LIMIT entries. */
const CACHE = "kiosk-pages";
const STATIC_URL = {{ static|tojson }};

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

const LIMIT = 400;  // pages and files kept; the oldest go first
const TIMEOUT_MS = 5000;  // a weak signal must not hang the screen when a copy is kept

async function trim(cache) {
  const keys = await cache.keys();
  for (let i = 0; i < keys.length - LIMIT; i++) await cache.delete(keys[i]);
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  const kept = await cache.match(request, { ignoreVary: true });
  const network = fetch(request).then(async (response) => {
    // a page with a query (a visitor's search) or a private answer is never kept on the machine
    const control = (response.headers.get("Cache-Control") || "").toLowerCase();
    if (response.ok && !url.search && !/private|no-store/.test(control)) {
      await cache.put(request, response.clone());
      trim(cache);
    }
    return response;
  });
  if (!kept) return network;
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve(kept), TIMEOUT_MS); });
  return Promise.race([network.catch(() => kept), late]).finally(() => clearTimeout(timer));
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
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.filter((u) => u && u.startsWith("/kiosk/") && !u.includes("?"))
    .map((u) => fetch(u).then((r) => (r.ok ? cache.put(u, r) : null)).catch(() => null)))));
});
