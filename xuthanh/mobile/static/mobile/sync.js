/* Keeping the offline catalogue current: a conditional request (If-None-Match) with the cursor of the last
   answer, so an unchanged catalogue costs a 304 and a changed one only its changes and the published ids. */
import * as store from "./store.js";

let running = null;

export async function sync(api, lang, { full = false } = {}) {
  if (running) return running;
  running = (async () => {
    const meta = await store.get("meta", "catalogue");
    const usable = meta && meta.lang === lang && meta.version === store.SCHEMA && !full;
    const params = new URLSearchParams({ lang });
    const headers = { Accept: "application/json" };
    if (usable && meta.cursor) params.set("since", meta.cursor);
    if (usable && meta.etag) headers["If-None-Match"] = meta.etag;
    const response = await fetch(`${api}offline/catalogue?${params}`, { headers, cache: "no-store" });
    if (response.status === 304) {
      await store.touchMeta({ synced: Date.now() });
      return { changed: 0 };
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const answer = await response.json();
    if (answer.version !== store.SCHEMA) throw new Error("version");
    await store.applyCatalogue(answer, response.headers.get("ETag"));
    return { changed: answer.places.length + answer.events.length + answer.specialties.length, full: answer.full };
  })();
  try {
    return await running;
  } finally {
    running = null;
  }
}
