/* The offline store (IndexedDB): the catalogue of one language, favourites, recently viewed, saved trips and
   downloaded areas. A schema version and counts checked at every start detect an outdated or damaged store,
   which is rebuilt (the catalogue is downloaded again; the traveller's own data is kept when readable). */
export const SCHEMA = 1; // must match xuthanh.mobile.offline.SCHEMA
const NAME = "xuthanh";
const DB_VERSION = 1;
export const CATALOGUE = ["places", "events", "specialties"];
const USER = ["favourites", "recent", "trips", "areas"];
let db = null;

function promise(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new DOMException("aborted", "AbortError"));
  });
}

function openOnce() {
  return new Promise((resolve, reject) => {
    if (!("indexedDB" in self)) return reject(new Error("no IndexedDB"));
    const request = indexedDB.open(NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const upgrade = request.result;
      for (const name of ["meta", ...CATALOGUE, ...USER]) {
        if (!upgrade.objectStoreNames.contains(name)) {
          upgrade.createObjectStore(name, { keyPath: name === "meta" ? "key" : name === "trips" ? "token" : name === "areas" ? "id" : "slug" });
        }
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("blocked"));
  });
}

export async function destroy() {
  if (db) { db.close(); db = null; }
  await promise(indexedDB.deleteDatabase(NAME));
}

/* Open the store; a database that cannot be opened or lacks a store is deleted and created again. */
export async function open() {
  try {
    db = await openOnce();
    const missing = ["meta", ...CATALOGUE, ...USER].filter((name) => !db.objectStoreNames.contains(name));
    if (missing.length) throw new Error("missing stores " + missing.join(","));
    return { rebuilt: false };
  } catch (error) {
    await destroy().catch(() => {});
    db = await openOnce();
    return { rebuilt: true, reason: String(error && error.message) };
  }
}

export function available() {
  return db !== null;
}

export async function get(store, key) {
  return promise(db.transaction(store).objectStore(store).get(key));
}

export async function all(store) {
  return promise(db.transaction(store).objectStore(store).getAll());
}

export async function put(store, value) {
  const tx = db.transaction(store, "readwrite");
  tx.objectStore(store).put(value);
  return done(tx);
}

export async function remove(store, key) {
  const tx = db.transaction(store, "readwrite");
  tx.objectStore(store).delete(key);
  return done(tx);
}

export async function count(store) {
  return promise(db.transaction(store).objectStore(store).count());
}

/* Is the catalogue usable: written by this schema, complete (counts as recorded), in `lang`? */
export async function check(lang) {
  const meta = await get("meta", "catalogue");
  if (!meta) return { ok: false, reason: "empty" };
  if (meta.version !== SCHEMA) return { ok: false, reason: "outdated" };
  for (const name of CATALOGUE) {
    if ((await count(name)) !== (meta.counts || {})[name]) return { ok: false, reason: "damaged" };
  }
  const [sample] = await promise(db.transaction("places").objectStore("places").getAll(null, 1));
  if (sample && !(sample.slug && sample.name && sample.hours && typeof sample.lat === "number")) {
    return { ok: false, reason: "damaged" };
  }
  if (meta.lang !== lang) return { ok: false, reason: "language" };
  return { ok: true, meta };
}

export async function clearCatalogue() {
  const tx = db.transaction(["meta", ...CATALOGUE], "readwrite");
  for (const name of CATALOGUE) tx.objectStore(name).clear();
  tx.objectStore("meta").delete("catalogue");
  return done(tx);
}

/* Apply a catalogue answer in one transaction: a full one replaces everything; a "changed since" one adds
   or replaces the changed items and removes every item whose id is no longer published. */
export async function applyCatalogue(answer, etag) {
  const tx = db.transaction(["meta", ...CATALOGUE], "readwrite");
  const counts = {};
  for (const name of CATALOGUE) {
    const objects = tx.objectStore(name);
    if (answer.full) objects.clear();
    for (const item of answer[name]) objects.put(item);
    const keep = new Set(answer.ids[name]);
    if (!answer.full) {
      objects.getAllKeys().onsuccess = (event) => {
        for (const key of event.target.result) if (!keep.has(key)) objects.delete(key);
      };
    }
    counts[name] = keep.size;
  }
  tx.objectStore("meta").put({
    key: "catalogue", version: answer.version, lang: answer.lang, cursor: answer.cursor, etag,
    window: answer.window, tags: answer.tags, counts, synced: Date.now(),
  });
  return done(tx);
}

export async function touchMeta(changes) {
  const meta = await get("meta", "catalogue");
  if (meta) await put("meta", { ...meta, ...changes });
}
