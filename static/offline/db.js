// The device's offline store (IndexedDB), as promises. Stores: meta (owner, bundle, current
// visit), visits (one per visit recorded on this phone, keyed by its client-generated id) and
// ops (the outbox: one queued section each, sent in the order of their ids).
const NAME = "knife-visits-offline";
const VERSION = 1;

let opening = null;

export function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore("meta", { keyPath: "name" });
        db.createObjectStore("visits", { keyPath: "key" });
        db.createObjectStore("ops", { keyPath: "id", autoIncrement: true });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error("blocked"));
    });
  }
  return opening;
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(name, mode) {
  const db = await open();
  return db.transaction(name, mode).objectStore(name);
}

export async function get(name, key) {
  return done((await store(name, "readonly")).get(key));
}

export async function all(name) {
  return done((await store(name, "readonly")).getAll());
}

export async function put(name, value) {
  return done((await store(name, "readwrite")).put(value));
}

export async function remove(name, key) {
  return done((await store(name, "readwrite")).delete(key));
}

export async function getMeta(name) {
  const record = await get("meta", name);
  return record ? record.value : undefined;
}

export function setMeta(name, value) {
  return put("meta", { name, value });
}

// Everything this app keeps on the device: the database and the service worker's caches.
export async function wipe() {
  if (opening) {
    (await opening).close();
    opening = null;
  }
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(NAME);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
  if (self.localStorage) {
    Object.keys(localStorage).filter((k) => k.startsWith("offline-"))
      .forEach((k) => localStorage.removeItem(k));
  }
  if (self.caches) {
    for (const key of await caches.keys()) {
      if (key.startsWith("offline-")) await caches.delete(key);
    }
  }
}

// Whether this phone holds the database at all (without creating it by opening it).
export async function exists() {
  if (!indexedDB.databases) return true;
  return (await indexedDB.databases()).some((d) => d.name === NAME);
}

// How many visits have sections not yet confirmed by the server.
export async function waitingVisits() {
  const ops = await all("ops");
  return new Set(ops.map((op) => op.visitKey)).size;
}
