// On every signed-in page: keep the device's offline data for this user only, and, for an
// officer, install the offline app (service worker, cached pages and assets, data bundle).
// Signing out warns about unsent visits, then clears everything the app kept on the device.
import { exists, getMeta, setMeta, waitingVisits, wipe } from "./db.js";

const me = document.getElementById("offline-register");
const user = me ? me.dataset.user : null;
const officer = me && me.dataset.role === "officer";
const OFFLINE_PAGES = ["/offline/visit", "/offline/sign-out"];
const MODULES = ["db.js", "sync.js", "record.js", "register.js", "outbox.js", "offline.css"]
  .map((name) => "/static/offline/" + name);

async function ownerCheck() {
  if (!officer) {  // other roles keep nothing: an officer's data left here is deleted
    if (await exists()) await wipe();
    return;
  }
  const owner = await getMeta("owner");
  if (owner !== undefined && owner !== user) await wipe(); // another user's data: never shown
  await setMeta("owner", user);
}

async function assetsOf(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const urls = [];
  doc.querySelectorAll("link[rel=stylesheet], link[rel=icon], link[rel=manifest], script[src]")
    .forEach((el) => urls.push(el.getAttribute("href") || el.getAttribute("src")));
  return urls.filter((u) => u && u.startsWith("/"));
}

async function prime() {
  const pages = await caches.open("offline-pages-v1");
  const assets = await caches.open("offline-assets-v1");
  const wanted = new Set(MODULES);
  for (const path of OFFLINE_PAGES) {
    const response = await fetch(path, { credentials: "same-origin" });
    if (!response.ok || response.redirected ||
        response.headers.get("X-Offline-Cache") !== "officer") return;
    const html = await response.clone().text();
    (await assetsOf(html)).forEach((u) => wanted.add(u));
    await pages.put(location.origin + path, response);
  }
  for (const url of wanted) {
    if (!url.startsWith("/static/")) continue;
    const response = await fetch(url);
    if (response.ok) await assets.put(url, response);
  }
  const bundle = await fetch("/offline/api/bundle", {
    credentials: "same-origin", headers: { Accept: "application/json" },
  });
  if (bundle.ok) await setMeta("bundle", await bundle.json());
}

async function install() {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  await navigator.serviceWorker.register("/sw.js", { scope: "/offline/" });
  await navigator.serviceWorker.ready;
  // Refreshed at most every quarter of an hour (the worker refreshes the offline pages
  // themselves whenever they are opened online), so other pages cost no extra requests.
  const stamp = `offline-primed-${user}`;
  const last = Number(localStorage.getItem(stamp) || 0);
  const stale = Date.now() - last > 15 * 60 * 1000 || !(await caches.has("offline-pages-v1"));
  if (navigator.onLine && stale) {
    await prime();
    localStorage.setItem(stamp, String(Date.now()));
  }
  document.documentElement.dataset.offlineReady = "true";
}

function guardSignOut() {
  document.querySelectorAll("form[action='/auth/sign-out']").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      if (form.dataset.cleared) return;
      event.preventDefault();
      const waiting = await waitingVisits().catch(() => 0);
      if (waiting > 0 && form.dataset.offlineSignOut !== "confirmed") {
        window.location.assign("/offline/sign-out");
        return;
      }
      await wipe();
      form.dataset.cleared = "true";
      form.submit();
    });
  });
}

async function warnUnsent() {
  const warning = document.getElementById("unsent-warning");
  if (!warning) return;
  const waiting = await waitingVisits();
  if (waiting > 0) {
    document.getElementById("unsent-count").textContent = waiting === 1
      ? "1 visit is saved on this phone and has not been sent."
      : `${waiting} visits are saved on this phone and have not been sent.`;
    warning.hidden = false;
  }
}

async function main() {
  if (!user || !window.indexedDB) return;
  guardSignOut();
  warnUnsent().catch(() => {});
  try {
    await ownerCheck();
    if (officer) await install();
  } catch (error) {
    document.documentElement.dataset.offlineError = String(error);
  }
}

main();
