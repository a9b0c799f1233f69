// Start GOV.UK Frontend components (kept out of the page so the CSP needs no inline script).
import { initAll } from "../govuk/govuk-frontend.min.js";
import { startReadyPolls } from "./ready-poll.js";

initAll();
startReadyPolls(); // pages waiting for a certificate's PDF or a prepared file

// Tables marked app-table--cards become one card per row on a phone (static/css/phone.css):
// each cell is labelled with its column's header, and the table keeps its table semantics for
// screen readers even when the layout is no longer a grid.
for (const table of document.querySelectorAll("table.app-table--cards")) {
  const headers = Array.from(table.querySelectorAll("thead th")).map(
    (th) => (th.hasAttribute("data-card-label") ? th.dataset.cardLabel : th.textContent.trim()));
  table.setAttribute("role", "table");
  for (const group of table.querySelectorAll("thead, tbody")) group.setAttribute("role", "rowgroup");
  for (const row of table.querySelectorAll("tr")) {
    row.setAttribute("role", "row");
    Array.from(row.children).forEach((cell, i) => {
      if (cell.closest("thead")) {
        cell.setAttribute("role", "columnheader");
      } else {
        cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
        if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", headers[i] || "");
      }
    });
  }
}
