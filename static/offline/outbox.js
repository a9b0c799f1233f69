// Showing the outbox: how many visits are waiting, each visit's sections, and the problems
// (a conflict with both versions, or the server's message for a rejected section).
import { all } from "./db.js";

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

const SECTION_NAMES = {
  shop: "New shop", start: "Shop and visit details", checklist: "Checklist part",
  test_purchase: "Test purchase", outcome: "Outcome and advice", submit: "Submit",
};

export function sectionName(op) {
  const name = SECTION_NAMES[op.section] || op.section;
  return op.section === "checklist" ? `${name} ${op.checklistNumber || op.position}` : name;
}

function versionTable(caption, rows) {
  const table = el("table", { class: "govuk-table" });
  table.append(el("caption", { class: "govuk-table__caption govuk-table__caption--s" }, caption));
  const tbody = el("tbody", { class: "govuk-table__body" });
  for (const row of rows) {
    const tr = el("tr", { class: "govuk-table__row" });
    tr.append(el("th", { class: "govuk-table__header", scope: "row" }, row.label));
    tr.append(el("td", { class: "govuk-table__cell" }, row.value));
    tbody.append(tr);
  }
  table.append(tbody);
  return table;
}

function conflictPanel(op, visit, actions) {
  const box = el("div", { class: "govuk-error-summary app-offline-problem", id: `problem-${op.id}`,
                          tabindex: "-1" });
  box.append(el("h3", { class: "govuk-error-summary__title" },
                `${visit.shopLabel}: ${sectionName(op)} was changed somewhere else`));
  const inner = el("div", { class: "govuk-error-summary__body" });
  inner.append(el("p", { class: "govuk-body" }, `${op.message}. Nothing has been overwritten. ` +
                  "Choose which version to keep."));
  inner.append(versionTable("On the server now", op.theirs || []));
  inner.append(versionTable("Saved on this phone", op.yours || []));
  const mine = el("button", { type: "button", class: "govuk-button" },
                  "Send the version on this phone");
  mine.addEventListener("click", () => actions.keepMine(op));
  const theirs = el("button", { type: "button", class: "govuk-button govuk-button--secondary" },
                    "Keep the version on the server");
  theirs.addEventListener("click", () => actions.keepTheirs(op));
  const group = el("div", { class: "govuk-button-group" });
  group.append(mine, theirs);
  inner.append(group);
  box.append(inner);
  return box;
}

function rejectedPanel(op, visit, actions) {
  const box = el("div", { class: "govuk-error-summary app-offline-problem", id: `problem-${op.id}`,
                          tabindex: "-1" });
  box.append(el("h3", { class: "govuk-error-summary__title" },
                `${visit.shopLabel}: ${sectionName(op)} was not accepted`));
  const inner = el("div", { class: "govuk-error-summary__body" });
  const list = el("ul", { class: "govuk-list govuk-error-summary__list" });
  for (const error of op.errors || []) list.append(el("li", {}, error.message));
  inner.append(list);
  inner.append(el("p", { class: "govuk-body" },
                  "Correct it and save the section again, or remove it from this phone."));
  const group = el("div", { class: "govuk-button-group" });
  const fix = el("button", { type: "button", class: "govuk-button" }, "Correct this section");
  fix.addEventListener("click", () => actions.correct(op));
  const drop = el("button", { type: "button", class: "govuk-button govuk-button--warning" },
                  "Remove it from this phone");
  drop.addEventListener("click", () => actions.drop(op));
  group.append(fix, drop);
  inner.append(group);
  box.append(inner);
  return box;
}

export async function render(actions) {
  const ops = (await all("ops")).sort((a, b) => a.id - b.id);
  const visits = new Map((await all("visits")).map((v) => [v.key, v]));
  const waiting = new Map();
  for (const op of ops) {
    if (!waiting.has(op.visitKey)) waiting.set(op.visitKey, []);
    waiting.get(op.visitKey).push(op);
  }
  document.getElementById("connection-status").textContent = navigator.onLine
    ? "There is a signal: saved sections are sent straight away."
    : "No signal: sections you save stay on this phone until there is one.";
  document.getElementById("waiting-count").textContent = waiting.size === 0
    ? "Nothing waiting: every visit saved on this phone has been sent."
    : `${waiting.size} ${waiting.size === 1 ? "visit" : "visits"} saved on this phone, ` +
      "not sent yet.";
  const list = document.getElementById("outbox-list");
  const problems = document.getElementById("problems");
  list.replaceChildren();
  problems.replaceChildren();
  for (const [key, sections] of waiting) {
    const visit = visits.get(key) || { shopLabel: "A visit" };
    const item = el("li", { class: "app-outbox-visit" });
    item.append(el("span", { class: "govuk-!-font-weight-bold" }, visit.title || visit.shopLabel));
    item.append(el("span", {}, `: saved on this phone, not sent yet (${sections.length} ` +
                   `${sections.length === 1 ? "section" : "sections"} waiting: ` +
                   `${sections.map(sectionName).join(", ")})`));
    list.append(item);
    for (const op of sections) {
      if (op.status === "conflict") problems.append(conflictPanel(op, visit, actions));
      if (op.status === "rejected") problems.append(rejectedPanel(op, visit, actions));
    }
  }
  return { waiting: waiting.size, visits };
}
