/* "Download this area for offline use": a commune or a site, its places' reduced photos and the map tiles of
   its bounding box, stored in one Cache Storage cache per area (the service worker serves them from there). */
import * as store from "./store.js";
import { answer } from "./ui.js";

export function cacheName(area) {
  return `area:${area.kind}:${area.key}`;
}

export async function describe(api, { commune, place }, lang) {
  const params = new URLSearchParams({ lang });
  if (commune) params.set("commune", commune);
  if (place) params.set("place", place);
  const response = await fetch(`${api}offline/area?${params}`, { headers: { Accept: "application/json" } });
  return answer(response);
}

export function tileUrls(area) {
  return area.tiles.map(([z, x, y]) =>
    area.tile_url.replace("{z}", z).replace("{x}", x).replace("{y}", y).replace("{s}", "a").replace("{r}", ""));
}

/* Download everything; onProgress(done, total). Tiles that cannot be fetched are counted, not fatal; a full
   disk stops the download with a QuotaExceededError (the part already stored stays, and is listed). Files
   already stored by an earlier, interrupted download are kept, not fetched again: downloading again on a
   weak signal resumes. */
export async function download(area, onProgress) {
  const cache = await caches.open(cacheName(area));
  const urls = [...area.photos.map((p) => p.url), ...tileUrls(area)];
  let finished = 0;
  let failed = 0;
  let stored = 0;
  let quota = null;
  const queue = urls.slice();
  async function worker() {
    while (queue.length && !quota) {
      const url = queue.shift();
      try {
        const kept = await cache.match(url);
        if (kept) {
          stored += Number(kept.headers.get("Content-Length")) || (await kept.blob()).size;
          finished += 1;
          onProgress(finished, urls.length);
          continue;
        }
        const response = await fetch(url, { mode: "cors", credentials: "omit" });
        if (!response.ok) throw new Error(response.status);
        const body = await response.clone().blob();
        await cache.put(url, response);
        stored += body.size;
      } catch (error) {
        if (error && error.name === "QuotaExceededError") quota = error;
        else failed += 1;
      }
      finished += 1;
      onProgress(finished, urls.length);
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()]);
  const record = {
    id: cacheName(area), kind: area.kind, key: area.key, name: area.name, places: area.places.length,
    photos: area.photos.length, tiles: area.tiles.length, failed, bytes: stored, at: Date.now(),
  };
  await store.put("areas", record);
  if (quota) throw quota;
  return record;
}

export async function remove(id) {
  await caches.delete(id);
  await store.remove("areas", id);
}
