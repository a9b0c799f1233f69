"""At 360 px nothing scrolls sideways: every page of every role, reached by following the
service's own links from the home page, fits a phone, and passes axe there.

One browser, one page per role. The crawl visits one example of each kind of address (ids,
codes, keys and dates in the path count as the same page), so it covers every page a person
can reach by following links without visiting every visit or every question.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.e2e.conftest import axe_violations, format_violations, sign_in

PHONE = {"width": 360, "height": 740}
MAX_PAGES = 150  # per role, well above what the demo data links to

# Not pages: files, feeds and the sign-out.
NOT_PAGES = re.compile(r"\.(pdf|csv|zip|jwt|json|xml|gift|png|svg)$|^/static/|^/auth/sign-out")

ROLES = {
    "anonymous": None,
    "staff": "staff@example.com",
    "manager": "manager@example.com",
    "officer": "officer@example.com",
    "admin": "admin@example.com",
}

# Lists the widest elements (outside any region that scrolls on its own) when a page is too wide.
WIDTH_REPORT = """() => {
  const limit = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > limit + 1 && !scrolls(el)) {
      wide.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)}`
                + ` "${(el.textContent || "").trim().slice(0, 40)}"`);
    }
  }
  return {width: document.documentElement.scrollWidth, limit, wide: wide.slice(-8)};
}"""

LINKS = """() => Array.from(document.querySelectorAll("a[href]"))
  .filter((a) => !a.hasAttribute("download"))
  .map((a) => a.href)"""


def page_kind(path: str, query: str) -> str:
    """/visits/12/summary and /visits/13/summary are the same kind of page."""
    # A segment with a digit in it is an id, a code (KSC-2345-...), a key (q-053) or a date.
    parts = ["N" if any(c.isdigit() for c in p) else p for p in path.split("/")]
    keys = sorted({k for k, _ in parse_qsl(query) if k != "page"})
    return "/".join(parts) + ("?" + "&".join(keys) if keys else "")


def crawl(page, base: str) -> list[tuple[str, dict, list[dict]]]:
    """Visit each kind of page once; return the ones too wide or failing axe."""
    start = page.url
    queue, seen, problems, visited = deque([start]), {page_kind(urlsplit(start).path, "")}, [], 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        response = page.goto(url)
        visited += 1
        assert response is not None and response.status < 400, f"{url}: HTTP {response.status}"
        report = page.evaluate(WIDTH_REPORT)
        violations = axe_violations(page)
        if report["width"] > PHONE["width"] or violations:
            problems.append((url, report, violations))
        for href in page.evaluate(LINKS):
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != base or NOT_PAGES.search(parts.path):
                continue
            kind = page_kind(parts.path, parts.query)
            if kind not in seen:
                seen.add(kind)
                queue.append(href.split("#")[0])
    assert visited > 3, "the crawl found hardly any pages"
    assert not queue, f"the crawl stopped after {MAX_PAGES} pages with {len(queue)} to go"
    print(f"{visited} pages checked from {start}")
    return problems


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_a_phone(browser, live_server, role):
    context = browser.new_context(viewport=PHONE, base_url=live_server)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        if ROLES[role]:
            sign_in(page, live_server, ROLES[role])
        else:
            page.goto(live_server + "/")
        problems = crawl(page, live_server)
    finally:
        context.close()
    messages = []
    for url, report, violations in problems:
        if report["width"] > PHONE["width"]:
            messages.append(f"{url} is {report['width']}px wide at 360px: "
                            + "; ".join(report["wide"]))
        if violations:
            messages.append(format_violations(url, violations))
    assert not messages, "\n".join(messages)


def test_page_kinds_group_addresses_by_shape():
    assert page_kind("/visits/12/summary", "") == page_kind("/visits/7/summary", "")
    assert page_kind("/verify/KSC-2345-6789-ABC8", "") == page_kind("/verify/KSC-1", "")
    assert page_kind("/admin/questions/q-053/edit", "") == page_kind(
        "/admin/questions/t-1/edit", "")
    assert page_kind("/training/modules/refusing-a-sale", "") != page_kind(
        "/training/modules/test-purchases", "")
    assert page_kind("/visits/list", "page=2") == page_kind("/visits/list", "")
    assert page_kind("/visits/list", "status=draft") != page_kind("/visits/list", "")


CARD_STATE = """(sel) => {
  const table = document.querySelector(sel);
  const row = table.querySelector("tbody tr");
  const cell = row.querySelector("td");
  return {row: getComputedStyle(row).display, label: cell.getAttribute("data-label"),
          shown: getComputedStyle(cell, "::before").content, role: cell.getAttribute("role")};
}"""


@pytest.mark.parametrize("email, path, first_label", [
    ("officer@example.com", "/visits/list", "Date"),
    ("officer@example.com", "/visits/priorities", "Shop"),
    ("staff@example.com", "/certificates/", "Code"),
    ("manager@example.com", "/visits/shop", "Date"),
])
def test_tables_that_matter_become_cards_on_a_phone(browser, live_server, email, path,
                                                    first_label):
    context = browser.new_context(viewport=PHONE, base_url=live_server)
    page = context.new_page()
    try:
        sign_in(page, live_server, email)
        page.goto(live_server + path)
        state = page.evaluate(CARD_STATE, "table.app-table--cards")
        assert state == {"row": "block", "label": first_label, "shown": f'"{first_label}"',
                         "role": "cell"}
        page.set_viewport_size({"width": 1100, "height": 900})  # a table again on a desktop
        assert page.evaluate(CARD_STATE, "table.app-table--cards")["row"] == "table-row"
    finally:
        context.close()
