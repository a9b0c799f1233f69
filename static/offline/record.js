// The visit recorder: every section is saved to this phone's outbox first, then sent.
import { all, get, getMeta, put, remove, setMeta } from "./db.js";
import { render, sectionName } from "./outbox.js";
import { sendAll } from "./sync.js";

const app = document.getElementById("offline-app");
const startForm = document.getElementById("start-form");
const sections = document.getElementById("visit-sections");
const results = document.getElementById("shop-results");
const search = document.getElementById("shop-search");
const newShop = document.getElementById("new-shop");
let shops = [];
let signedOut = false;
let correcting = null; // the visit whose rejected start is being corrected

function fields(form) {
  const out = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== "string") continue;
    if (name in out) out[name] = [].concat(out[name], value);
    else out[name] = value;
  }
  return out;
}

function pick(all, prefix) {
  return Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith(prefix + "-")));
}

function label(shop) {
  return [shop.name, shop.address, shop.town, shop.postcode].filter(Boolean).join(", ");
}

function showShops() {
  const term = search.value.trim().toLowerCase();
  const compact = term.replace(/\s/g, "");
  const found = shops.filter((s) => !term ||
    [s.name, s.town, s.business, s.address].some((v) => (v || "").toLowerCase().includes(term)) ||
    (s.postcode || "").toLowerCase().replace(/\s/g, "").includes(compact)).slice(0, 15);
  results.replaceChildren(...found.map((shop) => {
    const item = document.createElement("div");
    item.className = "govuk-radios__item";
    const input = document.createElement("input");
    Object.assign(input, { className: "govuk-radios__input", type: "radio", name: "shop-choice",
                           id: `shop-choice-${shop.id}`, value: String(shop.id) });
    const text = document.createElement("label");
    text.className = "govuk-label govuk-radios__label";
    text.htmlFor = input.id;
    text.textContent = label(shop);
    item.append(input, text);
    return item;
  }));
}

function showShopError(message) {
  const group = document.getElementById("shop-group");
  let error = document.getElementById("shop-error");
  if (!message) {
    group.classList.remove("govuk-form-group--error");
    if (error) error.remove();
    return;
  }
  if (!error) {
    error = document.createElement("p");
    error.id = "shop-error";
    error.className = "govuk-error-message";
    group.querySelector("legend").after(error);
  }
  error.textContent = "Error: " + message;
  group.classList.add("govuk-form-group--error");
  document.getElementById("shop-search").focus();
}

async function queue(visitKey, op) {
  const ops = await all("ops");
  for (const old of ops) {  // a section saved again replaces the copy still waiting
    if (old.visitKey === visitKey && old.section === op.section &&
        (old.position ?? null) === (op.position ?? null)) await remove("ops", old.id);
  }
  await put("ops", { visitKey, status: "waiting", ...op });
}

async function current() {
  const key = await getMeta("current");
  return key ? get("visits", key) : undefined;
}

async function startVisit(event) {
  event.preventDefault();
  const choice = startForm.querySelector("input[name=shop-choice]:checked");
  if (!choice) return showShopError("Select the shop you are visiting, or add it");
  showShopError("");
  const data = fields(startForm);
  const earlier = correcting ? await get("visits", correcting) : undefined;
  correcting = null;
  const key = earlier ? earlier.key : crypto.randomUUID().replace(/-/g, "");
  const shop = choice.value === "new" ? null : shops.find((s) => String(s.id) === choice.value);
  const shopFields = pick(data, "shop");
  const shopLabel = shop ? shop.name : (shopFields["shop-premises_name"] || "New shop");
  const visit = {
    ...(earlier || { lock: null, visitId: null, submitted: false }),
    key, shopLabel, premisesId: shop ? shop.id : null, title: `Visit to ${shopLabel}`,
  };
  await put("visits", visit);
  if (shop) {
    for (const old of await all("ops")) {
      if (old.visitKey === key && old.section === "shop") await remove("ops", old.id);
    }
  } else {
    await queue(key, { section: "shop", fields: shopFields });
  }
  await queue(key, { section: "start", fields: pick(data, "details") });
  await setMeta("current", key);
  startForm.reset();
  newShop.hidden = true;
  await refresh();
  document.getElementById("current-visit").focus();
  send();
}

async function saveSection(event) {
  event.preventDefault();
  const form = event.target;
  const visit = await current();
  if (!visit) return;
  const section = form.dataset.section;
  const op = { section, fields: section === "submit" ? {} : fields(form) };
  if (section === "checklist") {
    op.position = Number(form.dataset.position);
    op.checklistVersion = app.dataset.checklistVersion;
  }
  await queue(visit.key, op);
  if (section === "submit") {
    visit.submitted = true;
    await put("visits", visit);
    await finish();
  } else {
    await refresh();
  }
  document.getElementById("outbox-status").scrollIntoView();
  send();
}

async function finish() {
  await setMeta("current", null);
  sections.querySelectorAll("form").forEach((f) => f.reset());
  await refresh();
}

const actions = {
  async keepMine(op) {
    const visit = await get("visits", op.visitKey);
    visit.lock = op.serverLock;
    await put("visits", visit);
    await put("ops", { ...op, status: "waiting", theirs: null, yours: null });
    await refresh();
    send();
  },
  async keepTheirs(op) {
    const visit = await get("visits", op.visitKey);
    visit.lock = op.serverLock;
    await put("visits", visit);
    await remove("ops", op.id);
    await refresh();
    send();
  },
  async correct(op) {
    const starting = op.section === "shop" || op.section === "start";
    await setMeta("current", starting ? null : op.visitKey);
    await refresh();
    if (starting) {
      correcting = op.visitKey;
      await restoreShop(op);
    }
    const form = op.section === "shop" || op.section === "start" ? startForm
      : sections.querySelector(`form[data-section="${op.section}"]` +
        (op.position ? `[data-position="${op.position}"]` : ""));
    if (!form) return;
    fill(form, op.fields || {});
    const first = form.querySelector("input, textarea, select");
    if (first) first.focus();
  },
  async drop(op) {
    await remove("ops", op.id);
    await refresh();
  },
};

// Correcting a rejected start: the shop as it was chosen, and a new shop's details.
async function restoreShop(op) {
  const visit = await get("visits", op.visitKey);
  const shopOp = (await all("ops")).find((o) => o.visitKey === op.visitKey &&
                                           o.section === "shop");
  const listed = visit && visit.premisesId &&
    document.getElementById(`shop-choice-${visit.premisesId}`);
  const choice = listed || document.getElementById("shop-choice-new");
  choice.checked = true;
  newShop.hidden = choice.value !== "new";
  fill(startForm, shopOp ? shopOp.fields : {});
}

// Put queued values back into a form (a date's day, month and year share one name).
function fill(form, values) {
  for (const [name, value] of Object.entries(values)) {
    const inputs = [...form.querySelectorAll(`[name="${CSS.escape(name)}"]`)];
    const list = [].concat(value);
    inputs.forEach((input, i) => {
      if (input.type === "radio" || input.type === "checkbox") {
        input.checked = list.includes(input.value);
      } else {
        input.value = list.length > 1 ? (list[i] ?? "") : list[0];
      }
    });
  }
}

async function forgetSent(visits, waitingKeys) {
  const currentKey = await getMeta("current");
  const sent = document.getElementById("sent-list");
  for (const visit of visits.values()) {
    if (waitingKeys.has(visit.key) || visit.key === currentKey) continue;
    await remove("visits", visit.key);
    if (!visit.url) continue;
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = visit.url;
    link.textContent = `${visit.title}: ${visit.submitted ? "sent and submitted" : "sent as a draft"}`;
    sent.append(link, document.createElement("br"));
  }
}

async function refresh() {
  const bundle = await getMeta("bundle");
  if (bundle && bundle.premises.length !== shops.length) {
    shops = bundle.premises;
    showShops();
  }
  const { visits } = await render(actions);
  const ops = await all("ops");
  await forgetSent(visits, new Set(ops.map((op) => op.visitKey)));
  const visit = await current();
  sections.hidden = !visit;
  if (visit) {
    document.getElementById("current-visit").textContent =
      `Recording: ${visit.title}. Save each section on this phone as you go.`;
  }
  if (signedOut) {
    document.getElementById("connection-status").textContent =
      "You are signed out, so nothing can be sent. Sign in again on this phone to send " +
      "the visits saved here.";
  }
  app.dataset.waiting = String(new Set(ops.map((op) => op.visitKey)).size);
}

function send() {
  return sendAll(async (event) => {
    if (event.signedOut) signedOut = true;
    await refresh();
  }).then(refresh);
}

async function loadBundle() {
  let bundle = await getMeta("bundle");
  if (navigator.onLine) {
    try {
      const response = await fetch(app.dataset.bundleUrl, {
        credentials: "same-origin", headers: { Accept: "application/json" },
      });
      if (response.ok) {
        bundle = await response.json();
        await setMeta("bundle", bundle);
      }
    } catch (error) { /* no signal after all: keep the stored bundle */ }
  }
  shops = bundle ? bundle.premises : [];
  document.getElementById("bundle-status").textContent =
    `${shops.length} ${shops.length === 1 ? "shop is" : "shops are"} kept on this phone.`;
  showShops();
}

async function main() {
  document.querySelector(".app-offline-nojs").hidden = true;
  app.hidden = false;
  startForm.addEventListener("submit", startVisit);
  sections.querySelectorAll("form").forEach((f) => f.addEventListener("submit", saveSection));
  document.getElementById("finish-later").addEventListener("click", finish);
  document.getElementById("send-now").addEventListener("click", send);
  search.addEventListener("input", showShops);
  startForm.addEventListener("change", (event) => {
    if (event.target.name === "shop-choice") newShop.hidden = event.target.value !== "new";
  });
  window.addEventListener("online", () => { refresh(); send(); });
  window.addEventListener("offline", refresh);
  setInterval(() => { if (navigator.onLine) send(); }, 15000);
  await loadBundle();
  await refresh();
  app.dataset.ready = "true";
  send();
}

main();
export { sectionName };
