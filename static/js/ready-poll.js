// Pages that wait for a background job (a certificate's PDF, a prepared export) ask the server
// every few seconds whether it is done, and say so when it is: the news goes into a status
// region (role="status", read out by screen readers without moving focus) and the link to the
// finished file appears. Nothing reloads or moves on its own. Without JavaScript the page
// keeps its "Check again" link, which does the same by hand.
//
// Markup (templates/macros.html, ready_poll):
//   <div data-ready-poll data-ready-url="…/ready.json" data-ready-text-ready="…"
//        data-ready-text-failed="…" data-ready-text-slow="…">
//     <div role="status" data-ready-status></div>
//     <p data-ready-show="ready" hidden>…link…</p>  <p data-ready-show="failed" hidden>…</p>
//   </div>
// The JSON answers {"state": "waiting" | "ready" | "failed"}.

const FIRST_WAIT_MS = 2000;
const LONGEST_WAIT_MS = 15000;
const GIVE_UP_AFTER_MS = 10 * 60 * 1000;

function finish(region, state) {
  const status = region.querySelector("[data-ready-status]");
  const text = region.dataset[`readyText${state[0].toUpperCase()}${state.slice(1)}`];
  if (status && text) {
    status.textContent = text;
    status.classList.add("govuk-body", "govuk-!-font-weight-bold");
  }
  for (const shown of region.querySelectorAll("[data-ready-show]")) {
    shown.hidden = shown.dataset.readyShow !== state;
  }
  region.dataset.readyState = state;
}

export function poll(region, { fetchImpl = window.fetch.bind(window), now = Date.now } = {}) {
  const url = region.dataset.readyUrl;
  if (!url) return;
  const started = now();
  let wait = FIRST_WAIT_MS;
  const ask = async () => {
    let state = "waiting";
    try {
      const response = await fetchImpl(url, {
        headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store",
      });
      if (!response.ok || response.redirected) return; // signed out or gone: stop asking
      ({ state } = await response.json());
    } catch {
      state = "waiting"; // offline for a moment: ask again later
    }
    if (state === "ready" || state === "failed") {
      finish(region, state);
    } else if (now() - started > GIVE_UP_AFTER_MS) {
      finish(region, "slow");
    } else {
      wait = Math.min(wait * 1.5, LONGEST_WAIT_MS);
      window.setTimeout(ask, wait);
    }
  };
  window.setTimeout(ask, FIRST_WAIT_MS);
}

export function startReadyPolls(root = document) {
  for (const region of root.querySelectorAll("[data-ready-poll]")) poll(region);
}
