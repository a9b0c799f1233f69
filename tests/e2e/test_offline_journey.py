"""Officer visits with no signal, in a real Chromium with its service worker and IndexedDB.

1. The demo officer opens the offline recorder online (the app installs itself), loses the
   signal, records a whole test-purchase visit at a shop that is not registered (adding it),
   reloads the page with no signal and still sees the visit waiting on the phone, then gets the
   signal back: the shop and the visit arrive on the server exactly once, as typed.
2. A visit started online is changed offline on the phone while the same officer changes it
   online elsewhere: when the signal returns the phone shows both versions and overwrites
   nothing until the officer chooses.
axe-core checks the offline pages, online and offline.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORT, check_a11y, sign_in

OFFICER = "officer@example.com"
WAITING = re.compile(r"1 visit saved on this phone, not sent yet")
NOTHING_WAITING = "Nothing waiting: every visit saved on this phone has been sent."


def read_db(db_file, sql: str, *params) -> list[tuple]:
    with closing(sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=10)) as conn:
        return conn.execute(sql, params).fetchall()


def open_recorder(page, base: str) -> None:
    """Sign in online and wait until the app is installed and the recorder is running."""
    sign_in(page, base, OFFICER)
    page.goto("/offline/visit")
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")
    expect(page.locator("#offline-app")).to_have_attribute("data-ready", "true")


def add_shop_and_details(page, name: str, postcode: str) -> None:
    page.check("#shop-choice-new")
    page.fill("#shop-premises_name", name)
    page.fill("#shop-address_line_1", "3 Quay Street")
    page.fill("#shop-town", "Testbury")
    page.fill("#shop-postcode", postcode)
    page.check("input[name='shop-jurisdiction'][value='england-wales']")
    page.fill("#details-visit_time", "11:15")
    page.check("input[name='details-visit_type'][value='test_purchase']")
    page.select_option("#details-operation", "")  # not part of an operation
    page.fill("#details-person_spoken_to", "Sam Seller")
    page.get_by_role("button", name="Save on this phone and continue").click()
    expect(page.locator("#current-visit")).to_contain_text(f"Recording: Visit to {name}")


def save_outcome(page, outcome: str, advice: str) -> None:
    page.check(f"input[name='outcome-outcome'][value='{outcome}']")
    page.fill("#outcome-advice_given", advice)
    page.get_by_role("button", name="Save outcome on this phone").click()


def test_a_visit_recorded_with_no_signal_arrives_once(page, live_server, live_db_file):
    name = "Quayside Blades"
    open_recorder(page, live_server)
    check_a11y(page)
    bundle_shops = page.locator("#shop-results input[name='shop-choice']").count()
    assert bundle_shops >= 1  # the demo shops on the officer's priority list

    page.context.set_offline(True)
    expect(page.locator("#connection-status")).to_contain_text("No signal")
    add_shop_and_details(page, name, "tb9 9zz")
    first_part = page.locator("form[data-section='checklist']").first
    first_part.locator("input[type=radio][value='yes']").first.check()
    first_part.locator("textarea").first.fill("Challenge 25 sign at the till")
    first_part.get_by_role("button").click()
    page.fill("#tp-volunteer_age", "16")
    page.fill("#tp-item_attempted", "Craft knife")
    page.check("input[name='tp-id_asked'][value='yes']")
    page.check("input[name='tp-sold'][value='refused']")
    page.fill("#tp-staff_member", "Till 1")
    page.check("input[name='tp-letter_sent'][value='no']")
    page.get_by_role("button", name="Save test purchase on this phone").click()
    page.check("input[name='outcome-materials'][value='posters']")
    page.fill("#outcome-officer_notes", "Quiet shop")
    save_outcome(page, "compliant", "Keep asking for ID")
    page.get_by_role("button", name="Submit the visit when it is sent").click()

    expect(page.locator("#waiting-count")).to_have_text(WAITING)
    expect(page.locator("#outbox-list")).to_contain_text(f"Visit to {name}")
    expect(page.locator("#outbox-list")).to_contain_text("saved on this phone, not sent yet")
    check_a11y(page)
    assert read_db(live_db_file, "SELECT id FROM premises WHERE name = ?", name) == []

    page.reload()  # still no signal: the page comes from the phone, the visit from IndexedDB
    expect(page.locator("#waiting-count")).to_have_text(WAITING)
    expect(page.locator("#outbox-list")).to_contain_text(f"Visit to {name}")
    check_a11y(page)
    assert read_db(live_db_file, "SELECT id FROM premises WHERE name = ?", name) == []

    page.context.set_offline(False)
    expect(page.locator("#waiting-count")).to_have_text(NOTHING_WAITING, timeout=20_000)
    expect(page.locator("#sent-list")).to_contain_text(f"Visit to {name}: sent and submitted")

    shops = read_db(live_db_file, "SELECT id, postcode FROM premises WHERE name = ?", name)
    assert len(shops) == 1 and shops[0][1] == "TB9 9ZZ"
    visits = read_db(
        live_db_file,
        "SELECT v.id, v.status, v.visit_type, v.outcome, v.advice_given, v.officer_notes, "
        "v.materials, v.person_spoken_to, v.operation_id, u.email FROM visits v "
        "JOIN users u ON u.id = v.officer_id WHERE v.premises_id = ?", shops[0][0])
    assert len(visits) == 1
    visit_id, *content = visits[0]
    assert content == ["submitted", "test_purchase", "compliant", "Keep asking for ID",
                       "Quiet shop", '["posters"]', "Sam Seller", None, OFFICER]
    assert read_db(live_db_file, "SELECT volunteer_age, item_attempted, id_asked, sold, "
                   "staff_member, letter_sent FROM test_purchases WHERE visit_id = ?",
                   visit_id) == [(16, "Craft knife", 1, 0, "Till 1", 0)]
    assert read_db(live_db_file, "SELECT answer, note FROM visit_findings WHERE visit_id = ?",
                   visit_id) == [("yes", "Challenge 25 sign at the till")]

    page.goto(f"/visits/{visit_id}")  # the visit page the sent list links to
    expect(page.locator("h1")).to_contain_text(name)


def test_a_change_made_elsewhere_while_offline_is_shown_not_overwritten(
        page, browser, live_server, live_db_file):
    name = "Harbour Hardware"
    open_recorder(page, live_server)
    add_shop_and_details(page, name, "tb8 8yy")  # online: sent straight away
    expect(page.locator("#waiting-count")).to_have_text(NOTHING_WAITING, timeout=20_000)
    [(visit_id,)] = read_db(live_db_file, "SELECT v.id FROM visits v JOIN premises p ON "
                            "p.id = v.premises_id WHERE p.name = ?", name)

    page.context.set_offline(True)
    save_outcome(page, "advice_given", "Advice typed on the phone")
    expect(page.locator("#waiting-count")).to_have_text(WAITING)

    desk = browser.new_context(viewport=VIEWPORT, base_url=live_server)
    try:
        other = desk.new_page()
        sign_in(other, live_server, OFFICER)
        other.goto(f"/visits/{visit_id}/outcome")
        other.check("input[name='outcome'][value='non_compliant']")
        other.fill("#advice_given", "Advice typed at the desk")
        with other.expect_navigation():
            other.get_by_role("button", name="Save and continue").click()
    finally:
        desk.close()

    page.context.set_offline(False)
    problem = page.locator(".app-offline-problem")
    expect(problem).to_contain_text(f"{name}: Outcome and advice was changed somewhere else",
                                    timeout=20_000)
    expect(problem.locator("table").nth(0)).to_contain_text("Advice typed at the desk")
    expect(problem.locator("table").nth(0)).to_contain_text("Non-compliant, follow-up needed")
    expect(problem.locator("table").nth(1)).to_contain_text("Advice typed on the phone")
    expect(page.locator("#waiting-count")).to_have_text(WAITING)  # still on the phone
    check_a11y(page)
    assert read_db(live_db_file, "SELECT outcome, advice_given FROM visits WHERE id = ?",
                   visit_id) == [("non_compliant", "Advice typed at the desk")]

    page.get_by_role("button", name="Send the version on this phone").click()
    expect(page.locator("#waiting-count")).to_have_text(NOTHING_WAITING, timeout=20_000)
    assert read_db(live_db_file, "SELECT outcome, advice_given FROM visits WHERE id = ?",
                   visit_id) == [("advice_given", "Advice typed on the phone")]
