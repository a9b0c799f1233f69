// Sending the outbox: sections in the order they were saved, one at a time. A section leaves
// the outbox only when the server confirms it; a conflict or a rejection stops that visit's
// later sections until the officer decides. A lost connection stops the round: it is retried.
import { all, get, getMeta, put, remove, setMeta } from "./db.js";

const app = document.getElementById("offline-app");
let running = null;

async function token() {
  const response = await fetch(app.dataset.tokenUrl, {
    credentials: "same-origin", headers: { Accept: "application/json" },
  });
  if (response.status === 401) return { signedOut: true };
  if (!response.ok) return {};
  return { value: (await response.json()).csrf_token };
}

// A shop added on this phone joins the phone's shop list once the server has it.
async function rememberShop(id, fields) {
  const bundle = (await getMeta("bundle")) || { premises: [] };
  if (bundle.premises.some((shop) => shop.id === id)) return;
  const name = fields["shop-premises_name"] || "";
  bundle.premises.unshift({
    id, name, address: fields["shop-address_line_1"] || "", town: fields["shop-town"] || "",
    postcode: (fields["shop-postcode"] || "").toUpperCase(),
    business: fields["shop-business_name"] || name, reasons: [],
  });
  await setMeta("bundle", bundle);
}

function body(op, visit) {
  return JSON.stringify({
    visit: visit.key, section: op.section, fields: op.fields, lock_version: visit.lock,
    premises_id: visit.premisesId, position: op.position ?? null,
    checklist_version: op.checklistVersion ?? null,
  });
}

async function sendOne(op, visit, csrf) {
  const response = await fetch(app.dataset.syncUrl, {
    method: "POST", credentials: "same-origin", body: body(op, visit),
    headers: { "Content-Type": "application/json", Accept: "application/json",
               "X-CSRFToken": csrf },
  });
  let data = null;
  try { data = await response.json(); } catch (error) { data = null; }
  return { status: response.status, data };
}

async function round(report) {
  const csrf = await token();
  if (csrf.signedOut) return report({ signedOut: true });
  if (!csrf.value) return;
  const ops = (await all("ops")).sort((a, b) => a.id - b.id);
  const blocked = new Set();
  for (const op of ops) {
    if (blocked.has(op.visitKey)) continue;
    if (op.status === "conflict" || op.status === "rejected") {
      blocked.add(op.visitKey);
      continue;
    }
    const visit = await get("visits", op.visitKey);
    if (!visit) { await remove("ops", op.id); continue; }
    const { status, data } = await sendOne(op, visit, csrf.value);
    if (status === 200 && data) {
      if (op.section === "shop") {
        visit.premisesId = data.premises_id;
        await rememberShop(data.premises_id, op.fields);
      } else {
        Object.assign(visit, { visitId: data.visit_id, lock: data.lock_version,
                               url: data.url, premisesId: data.premises_id });
      }
      await put("visits", visit);
      await remove("ops", op.id);
    } else if (status === 409 && data) {
      Object.assign(op, { status: "conflict", theirs: data.theirs, yours: data.yours,
                          serverLock: data.lock_version, message: data.message });
      await put("ops", op);
      blocked.add(op.visitKey);
    } else if ((status === 422 || status === 403) && data) {
      Object.assign(op, { status: "rejected", errors: data.errors });
      await put("ops", op);
      blocked.add(op.visitKey);
    } else if (status === 401) {
      return report({ signedOut: true });
    } else {
      return; // the connection dropped, or the server failed: everything stays queued
    }
    await report({});
  }
}

export function sendAll(report) {
  if (!navigator.onLine) return Promise.resolve();
  if (!running) {
    running = round(report).catch(() => {}).finally(() => { running = null; });
  }
  return running;
}
