// The officer app's service worker, registered with the scope /offline/ only.
// Pages: network first; a page is kept only when the server marked it X-Offline-Cache
// (officer pages only: never the sign-in page, never another role's page). Static assets:
// cache first. Nothing else is cached, and the page clears these caches on sign-out.
const PAGES = "offline-pages-v1";
const ASSETS = "offline-assets-v1";
const MATCH = { ignoreSearch: true, ignoreVary: true };

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" && url.pathname.startsWith("/offline/")) {
    event.respondWith(networkFirst(request, url));
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(ASSETS);
  const cached = await cache.match(request, MATCH);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request, url) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected &&
        response.headers.get("X-Offline-Cache") === "officer") {
      await cache.put(url.origin + url.pathname, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await cache.match(url.origin + url.pathname, MATCH) ||
      await cache.match(url.origin + "/offline/visit", MATCH);
    if (cached) return cached;
    throw error;
  }
}
