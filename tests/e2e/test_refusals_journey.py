"""The refusals register in a real browser on a 360 x 800 phone, with axe-core on every page.

1. Jo Staff opens "Record a refusal" from the header menu, types the product, picks a reason
   and saves: "when" is already now and "who refused" is already Jo, so it takes seconds.
2. "Your refusals" lists it; Jo corrects it (a new entry refers to the old one, marked
   corrected).
3. The manager opens the High Street register, sees the weeks not signed off, reviews last
   week's and this week's entries on one page and signs both off in one go (each week is
   recorded separately), then downloads the register as CSV.
4. An officer reads the register and downloads it as a PDF.
Nothing on these pages scrolls sideways at 360 px.
"""

from __future__ import annotations

import csv
import io
import re
import time

from playwright.sync_api import expect

from tests.e2e.conftest import check_a11y, sign_in

PHONE = {"width": 360, "height": 800}
HIGH_STREET = "Demo Hardware High Street"


def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server, accept_downloads=True)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def click(page, role: str, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).first.click()


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} scrolls sideways: {width}px wide"
    check_a11y(page)


def nav(page, name: str) -> None:
    """Header links sit behind the "Menu" button at phone width."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        menu.click()
    click(page, "link", name)


def open_register(page, base: str) -> None:
    page.goto(f"{base}/businesses/")
    if page.locator("h1").inner_text() != "Demo Hardware Ltd":
        click(page, "link", "Demo Hardware Ltd")
    click(page, "link", HIGH_STREET)
    fits(page)
    click(page, "link", "Refusals register")
    fits(page)


def staff_record_and_correct(page, live_server) -> None:
    sign_in(page, live_server, "staff@example.com")
    nav(page, "Record a refusal")
    assert page.locator("h1").inner_text() == "Record a refused sale"
    fits(page)
    started = time.monotonic()
    for part in ("#occurred_at-day", "#occurred_at-month", "#occurred_at-year", "#occurred_time"):
        assert page.locator(part).input_value()  # now, already filled in
    assert page.locator("#refused_by option:checked").inner_text() == "Jo Staff"
    page.locator("#product").fill("Santoku knife")
    page.get_by_label("No ID", exact=True).check()
    click(page, "button", "Save refusal")
    assert time.monotonic() - started < 30
    assert "Refusal recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("h1").inner_text() == "Your refusals"
    fits(page)
    entry = page.locator(".app-refusal-list__item").first
    assert "Santoku knife" in entry.inner_text() and "No ID" in entry.inner_text()

    with page.expect_navigation():
        entry.get_by_role("link", name=re.compile(r"^Correct this entry")).click()
    assert page.locator("h1").inner_text().startswith("Correct entry")
    assert page.locator("#product").input_value() == "Santoku knife"
    fits(page)
    page.locator("#product").fill("Santoku knife, 18 cm")
    page.get_by_label("ID not acceptable", exact=True).check()
    page.get_by_label("What is being corrected, and why?").fill("Blade size and reason were wrong")
    click(page, "button", "Save correction")
    assert "Correction saved as entry" in page.locator(".govuk-notification-banner").inner_text()
    fits(page)
    items = page.locator(".app-refusal-list__item")
    assert "Correction" in items.nth(0).inner_text()
    assert "Santoku knife, 18 cm" in items.nth(0).inner_text()
    assert "Blade size and reason were wrong" in items.nth(0).inner_text()
    assert "Corrected" in items.nth(1).inner_text()


def manager_sign_off_and_download(page, live_server) -> None:
    sign_in(page, live_server, "manager@example.com")
    open_register(page, live_server)
    main = page.locator("main").inner_text()
    assert "weeks are not signed off" in main and "Santoku knife, 18 cm" in main
    assert "this week" in page.locator("tbody tr").first.inner_text()
    click(page, "link", "Review and sign off several weeks")
    assert page.locator("h1").inner_text() == "Sign off weeks of the register"
    review = page.locator("main").inner_text()
    assert "Santoku knife, 18 cm" in review and "Jo Staff" in review  # what is being signed
    fits(page)
    boxes = page.get_by_role("checkbox")
    assert boxes.count() == 2  # last week and this week
    for n in range(boxes.count()):
        boxes.nth(n).check()
    page.locator("#note").fill("Checked with Jo: ID refusals handled well.")
    click(page, "button", "Sign off the selected weeks")
    assert "2 weeks signed off" in page.locator(".govuk-notification-banner").inner_text()
    rows = page.locator("tbody tr")
    assert "By Sam Manager" in rows.nth(0).inner_text()
    assert "By Sam Manager" in rows.nth(1).inner_text()
    assert "Every week shown is signed off" in page.locator("main").inner_text()
    fits(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the register as CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as saved:  # Excel's BOM
        rows = list(csv.reader(io.StringIO(saved.read())))
    assert rows[0][0] == "Entry" and any("Santoku knife, 18 cm" in r for r in rows)
    assert len(rows) >= 10


def test_staff_record_and_correct_a_refusal_and_the_manager_signs_off(browser, live_server):
    for step in (staff_record_and_correct, manager_sign_off_and_download):
        context, page = phone(browser, live_server)
        try:
            step(page, live_server)
        finally:
            context.close()


def test_officer_reads_and_downloads_the_register(browser, live_server):
    context, page = phone(browser, live_server)
    try:
        sign_in(page, live_server, "officer@example.com")
        open_register(page, live_server)
        assert page.locator("h1").inner_text() == "Refusals register"
        assert page.get_by_role("link", name="Record a refusal").count() == 0
        assert page.locator(".app-refusal-list__item").count() >= 7
        # The PDF is prepared by a job (in-process in the demo): its page offers the file.
        page.get_by_role("button", name="Prepare the register as PDF").click()
        expect(page.locator("h1")).to_have_text("Your file is ready")
        check_a11y(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the file").click()
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
        page.get_by_role("link", name=f"Back to {HIGH_STREET}").click()
        assert page.locator("h1").inner_text() == "Refusals register"
    finally:
        context.close()
