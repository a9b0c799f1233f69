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

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests import conftest as root_conftest
from tests.e2e.conftest import LIVE, VIEWPORT, check_a11y, live_settings, serve, sign_in

OFFICER = "officer@example.com"
WAITING = re.compile(r"1 visit saved on this phone, not sent yet")
NOTHING_WAITING = "Nothing waiting: every visit saved on this phone has been sent."


def _e2e_database(url: str) -> str:
    """A PostgreSQL database of its own beside the test database (made once, then reset)."""
    from compliance import database_uri

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_e2e"
    engine = create_engine(database_uri(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    own = urlunsplit(parts._replace(path="/" + name))
    root_conftest.reset_database(own)
    return own


@pytest.fixture(scope="module")
def offline_server(request) -> Iterator[str]:
    """On PostgreSQL runs (TEST_DATABASE_URL), these journeys get a live server of their own
    on a PostgreSQL copy of the demo data; otherwise the shared SQLite live server."""
    if not root_conftest.TEST_DATABASE_URL:
        yield request.getfixturevalue("live_server")
        return
    from flask_migrate import upgrade

    from compliance import create_app
    from compliance.demo_data import load_demo_data, load_demo_training, load_demo_visits
    from compliance.extensions import db

    settings = live_settings(_e2e_database(root_conftest.TEST_DATABASE_URL))
    app = create_app(settings)
    with app.app_context():
        upgrade()
        load_demo_data()
        load_demo_training()
        load_demo_visits()
        db.session.commit()
        db.session.remove()
    with serve(app) as base:
        yield base


@pytest.fixture(scope="module")
def live_db(offline_server: str) -> Iterator[str]:
    """The address of the database the live server writes to, SQLite or PostgreSQL."""
    from compliance import database_uri

    if root_conftest.TEST_DATABASE_URL:
        parts = urlsplit(root_conftest.TEST_DATABASE_URL)
        yield database_uri(urlunsplit(parts._replace(path=parts.path + "_e2e")))
    else:
        yield f"sqlite:///{LIVE['db_file']}"


@pytest.fixture
def page(browser, offline_server: str):
    """A fresh browser context (no cookies, no service worker) on the offline journeys' server."""
    context = browser.new_context(viewport=VIEWPORT, base_url=offline_server)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def read_db(url: str, sql: str, *params) -> list[tuple]:
    """Rows from the live server's database (`?` placeholders, in order)."""
    names = {}
    for i, value in enumerate(params):
        names[f"p{i}"] = value
        sql = sql.replace("?", f":p{i}", 1)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), names)]
    finally:
        engine.dispose()


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


def test_a_visit_recorded_with_no_signal_arrives_once(page, offline_server, live_db):
    name = "Quayside Blades"
    open_recorder(page, offline_server)
    check_a11y(page)
    # The worker is served from the root but may never control more than the offline pages.
    assert page.evaluate("""async () => {
        try { await navigator.serviceWorker.register('/sw.js', {scope: '/'}); return 'wider'; }
        catch (error) { return error.name; } }""") == "SecurityError"
    assert page.evaluate("""async () => (await navigator.serviceWorker.getRegistration(
        '/offline/visit')).scope""").endswith("/offline/")
    bundle_shops = page.locator("#shop-results input[name='shop-choice']").count()
    assert bundle_shops >= 1  # the demo shops on the officer's priority list

    page.context.set_offline(True)
    expect(page.locator("#connection-status")).to_contain_text("No signal")
    page.fill("#shop-search", "retail park")  # searches the shops kept on the phone
    expect(page.locator("#shop-results label").first).to_contain_text(
        "Demo Hardware Retail Park")
    expect(page.locator("#shop-results label:has-text('High Street')")).to_have_count(0)
    page.fill("#shop-search", "")
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
    assert read_db(live_db, "SELECT id FROM premises WHERE name = ?", name) == []

    page.reload()  # still no signal: the page comes from the phone, the visit from IndexedDB
    expect(page.locator("#waiting-count")).to_have_text(WAITING)
    expect(page.locator("#outbox-list")).to_contain_text(f"Visit to {name}")
    check_a11y(page)
    assert read_db(live_db, "SELECT id FROM premises WHERE name = ?", name) == []

    page.context.set_offline(False)
    expect(page.locator("#waiting-count")).to_have_text(NOTHING_WAITING, timeout=20_000)
    expect(page.locator("#sent-list")).to_contain_text(f"Visit to {name}: sent and submitted")

    shops = read_db(live_db, "SELECT id, postcode FROM premises WHERE name = ?", name)
    assert len(shops) == 1 and shops[0][1] == "TB9 9ZZ"
    visits = read_db(
        live_db,
        "SELECT v.id, v.status, v.visit_type, v.outcome, v.advice_given, v.officer_notes, "
        "v.materials, v.person_spoken_to, v.operation_id, u.email FROM visits v "
        "JOIN users u ON u.id = v.officer_id WHERE v.premises_id = ?", shops[0][0])
    assert len(visits) == 1
    visit_id, *content = visits[0]
    if isinstance(content[5], str):  # SQLite keeps JSON as text
        content[5] = json.loads(content[5])
    assert content == ["submitted", "test_purchase", "compliant", "Keep asking for ID",
                       "Quiet shop", ["posters"], "Sam Seller", None, OFFICER]
    [purchase] = read_db(live_db, "SELECT volunteer_age, item_attempted, id_asked, sold, "
                         "staff_member, letter_sent FROM test_purchases WHERE visit_id = ?",
                         visit_id)
    assert purchase[:2] == (16, "Craft knife") and purchase[4] == "Till 1"
    assert [bool(purchase[i]) for i in (2, 3, 5)] == [True, False, False]
    assert read_db(live_db, "SELECT answer, note FROM visit_findings WHERE visit_id = ?",
                   visit_id) == [("yes", "Challenge 25 sign at the till")]

    page.goto(f"/visits/{visit_id}")  # the visit page the sent list links to
    expect(page.locator("h1")).to_contain_text(name)


def test_a_change_made_elsewhere_while_offline_is_shown_not_overwritten(
        page, browser, offline_server, live_db):
    name = "Harbour Hardware"
    open_recorder(page, offline_server)
    add_shop_and_details(page, name, "tb8 8yy")  # online: sent straight away
    expect(page.locator("#waiting-count")).to_have_text(NOTHING_WAITING, timeout=20_000)
    [(visit_id,)] = read_db(live_db, "SELECT v.id FROM visits v JOIN premises p ON "
                            "p.id = v.premises_id WHERE p.name = ?", name)

    page.context.set_offline(True)
    save_outcome(page, "advice_given", "Advice typed on the phone")
    expect(page.locator("#waiting-count")).to_have_text(WAITING)

    desk = browser.new_context(viewport=VIEWPORT, base_url=offline_server)
    try:
        other = desk.new_page()
        sign_in(other, offline_server, OFFICER)
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
    assert read_db(live_db, "SELECT outcome, advice_given FROM visits WHERE id = ?",
                   visit_id) == [("non_compliant", "Advice typed at the desk")]

    page.get_by_role("button", name="Send the version on this phone").click()
    expect(page.locator("#waiting-count")).to_have_text(NOTHING_WAITING, timeout=20_000)
    assert read_db(live_db, "SELECT outcome, advice_given FROM visits WHERE id = ?",
                   visit_id) == [("advice_given", "Advice typed on the phone")]


def test_a_rejected_section_comes_back_and_signing_out_warns_then_clears(
        page, offline_server, live_db):
    name = "Dockside Knives"
    open_recorder(page, offline_server)
    page.check("#shop-choice-new")
    page.fill("#shop-premises_name", name)
    page.fill("#shop-address_line_1", "9 Dock Road")
    page.fill("#shop-town", "Testbury")
    page.fill("#shop-postcode", "tb7 7xx")
    page.check("input[name='shop-jurisdiction'][value='england-wales']")
    page.fill("#details-visit_time", "25:99")  # no such time: the server says so
    page.check("input[name='details-visit_type'][value='engagement']")
    page.select_option("#details-operation", "")
    page.get_by_role("button", name="Save on this phone and continue").click()
    problem = page.locator(".app-offline-problem")
    expect(problem).to_contain_text("Shop and visit details was not accepted", timeout=20_000)
    expect(problem).to_contain_text("Enter the time in the 24-hour clock, like 14:30")
    expect(page.locator("#waiting-count")).to_have_text(WAITING)
    check_a11y(page)

    # Signing out now would lose it: the officer is warned first.
    page.locator("form.app-sign-out button").click()
    expect(page).to_have_url(re.compile(r"/offline/sign-out$"))
    expect(page.locator("#unsent-count")).to_have_text(
        "1 visit is saved on this phone and has not been sent.")
    check_a11y(page)
    page.get_by_role("link", name="Send the visits first").click()

    # Corrected, the same visit (not a second one) is sent with its new shop.
    page.get_by_role("button", name="Correct this section").click()
    # The server accepted the shop: it is on the phone's list now, and chosen again.
    chosen = page.locator("#shop-results .govuk-radios__item:has(input:checked)")
    expect(chosen).to_contain_text(name)
    expect(page.locator("#details-visit_time")).to_have_value("25:99")
    page.fill("#details-visit_time", "09:45")
    page.get_by_role("button", name="Save on this phone and continue").click()
    expect(page.locator("#waiting-count")).to_have_text(NOTHING_WAITING, timeout=20_000)
    rows = read_db(live_db, "SELECT v.status FROM visits v JOIN premises p ON "
                   "p.id = v.premises_id WHERE p.name = ?", name)
    assert rows == [("draft",)]
    page.get_by_role("button", name="Keep as a draft and start another visit").click()
    expect(page.locator("#sent-list")).to_contain_text(f"Visit to {name}: sent as a draft")
    expect(page.locator(f"#shop-results label:has-text('{name}')")).to_have_count(1)

    # Nothing waiting: signing out goes straight through and clears the phone.
    with page.expect_navigation(url=re.compile(r"/auth/sign-in")):
        page.locator("form.app-sign-out button").click()
    assert page.evaluate(
        "async () => (await caches.keys()).filter((k) => k.startsWith('offline-'))") == []
    assert page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)") == []


def test_another_user_on_the_phone_never_gets_the_officers_data(page, offline_server):
    open_recorder(page, offline_server)
    page.context.set_offline(True)
    page.check("#shop-results input[name='shop-choice']")
    page.fill("#details-visit_time", "08:00")
    page.check("input[name='details-visit_type'][value='engagement']")
    page.get_by_role("button", name="Save on this phone and continue").click()
    expect(page.locator("#waiting-count")).to_have_text(WAITING)
    page.context.set_offline(False)
    page.context.clear_cookies()  # the session ends without signing out
    sign_in(page, offline_server, "manager@example.com")
    expect(page.locator("#offline-register")).to_have_attribute("data-role", "manager")
    page.wait_for_load_state("networkidle")  # the page's script has run
    assert page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)") == []
    assert page.evaluate(
        "async () => (await caches.keys()).filter((k) => k.startsWith('offline-'))") == []
