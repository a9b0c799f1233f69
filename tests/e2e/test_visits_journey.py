"""Officer visits in a real browser, with axe-core on every page visited.

1. The demo officer, on a 360 x 800 phone, records an engagement visit at Demo Hardware Retail
   Park, then a failed test purchase at Demo Hardware High Street with a follow-up, and leaves
   the printable summary. The test purchase takes the fewest screens (details, purchase,
   outcome, check and submit), with the checklist offered as optional.
2. The demo manager is emailed the follow-up when the visit is submitted, opens the emailed
   link, sees both visits without officer-only notes or the volunteer's age, and answers it
   on the phone with a photo; the officer opens the photo (served as image/jpeg, nosniff).
3. The officer, emailed the answer, closes the follow-up; the priority list shows the failed
   test purchase and the operation report counts both visits.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, timedelta

from tests.e2e.conftest import check_a11y, sign_in

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1100, "height": 900}
OPERATION = "Operation Sceptre, November 2026"
SECRET_NOTES = ("Officer-only: owner known to CID", "Officer-only: volunteer was nervous")
FOLLOW_UP = "Retrain the weekend staff on Challenge 25"


def _photo() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 160)).save(out, format="JPEG")
    return out.getvalue()


PHOTO = _photo()


def read_db(db_file, sql: str, *params) -> list[tuple]:
    with closing(sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=10)) as conn:
        return conn.execute(sql, params).fetchall()


def checked(page, phone: bool = True) -> None:
    """axe-core finds nothing, and on a phone nothing scrolls sideways."""
    check_a11y(page)
    if phone:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"{page.url} is {width}px wide"


def click(page, role: str, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).first.click()


def save(page) -> None:
    click(page, "button", "Save and continue")


def heading(page) -> str:
    return page.locator("h1").inner_text().strip()


def figures(page) -> dict[str, str]:
    cells = page.locator("[data-figure]")
    return {cells.nth(i).get_attribute("data-figure"): cells.nth(i).inner_text().strip()
            for i in range(cells.count())}


def start_visit(page, postcode: str, shop: str, visit_type: str, area: str) -> None:
    page.goto("/visits/")
    click(page, "link", "Record a visit")
    assert heading(page) == "Find the shop"
    page.fill("#q", postcode)
    click(page, "button", "Search")
    checked(page)
    click(page, "link", f"Start a visit to {shop}")
    assert heading(page) == "Start a visit"
    checked(page)
    # A visit counts in an operation only if it happened during it (16 to 22 November 2026).
    page.fill("#visit_date-day", "22")
    page.fill("#visit_date-month", "11")
    page.fill("#visit_date-year", "2026")
    page.fill("#visit_time", "09:45")
    page.get_by_label(visit_type, exact=True).check()
    page.select_option("#operation", label=f"{OPERATION}: {area}")
    page.fill("#person_spoken_to", "Duty manager")
    save(page)


def through_checklist(page, first_answer: str | None = None) -> None:
    """Every part of the checklist; the first check answered on the first page."""
    assert "checklist part 1 of" in page.locator(".govuk-caption-l").inner_text()
    checked(page)
    if first_answer:
        page.locator(f"input[name^=item_][value={first_answer}]").first.check()
        page.locator("textarea[name^=note_]").first.fill("Seen on the shelf by the door")
    save(page)
    while "checklist part" in page.locator(".govuk-caption-l").inner_text():
        checked(page)
        save(page)


def record_outcome(page, outcome: str, advice: str, notes: str) -> None:
    assert heading(page) == "Outcome and advice"
    checked(page)
    page.get_by_label(outcome, exact=True).check()
    page.get_by_label("Posters", exact=True).check()
    page.fill("#advice_given", advice)
    page.fill("#officer_notes", notes)
    save(page)


def submit(page) -> None:
    checked(page)  # the check-your-visit page
    click(page, "button", "Submit visit")
    assert "Visit submitted" in page.locator(".govuk-notification-banner").inner_text()


def officer_records_two_visits(officer, base: str) -> None:
    sign_in(officer, base, "officer@example.com")
    officer.get_by_role("button", name="Menu").click()
    click(officer, "link", "Visits")
    assert heading(officer) == "Visits"
    checked(officer)

    start_visit(officer, "EX2 4RP", "Demo Hardware Retail Park", "Engagement and advice",
                "Exampleton South")
    through_checklist(officer, first_answer="no")
    record_outcome(officer, "Advice given", "Move the knives behind the counter",
                   SECRET_NOTES[0])
    assert "Seen on the shelf by the door" in officer.locator("main").inner_text()
    submit(officer)
    click(officer, "link", "Visit summary for the shop (printable)")
    checked(officer)
    assert officer.locator('link[rel=stylesheet][media=print]').count() == 1

    # A test purchase in the fewest screens: details and kind, the purchase, the outcome,
    # then check and submit. The checklist is offered on the last one, optional.
    start_visit(officer, "EX1 1AA", "Demo Hardware High Street", "Test purchase",
                "Exampleton North")
    assert heading(officer) == "Test purchase"
    checked(officer)
    officer.fill("#volunteer_age", "15")
    officer.fill("#item_attempted", "Lock knife")
    officer.locator("input[name=id_asked][value=no]").check()
    officer.get_by_label("Sold: the test purchase failed").check()
    officer.fill("#staff_member", "Weekend assistant")
    officer.locator("input[name=letter_sent][value=no]").check()
    save(officer)
    record_outcome(officer, "Non-compliant, follow-up needed", "Challenge everyone under 25",
                   SECRET_NOTES[1])
    main = officer.locator("main").inner_text()
    assert "Checklist (optional)" in main
    assert "The checklist is optional on this kind of visit" in main

    click(officer, "link", "Add a follow-up action")
    checked(officer)
    due = date.today() + timedelta(days=14)
    officer.fill("#action", FOLLOW_UP)
    officer.fill("#due_on-day", str(due.day))
    officer.fill("#due_on-month", str(due.month))
    officer.fill("#due_on-year", str(due.year))
    officer.fill("#evidence_wanted", "The signed training records")
    click(officer, "button", "Send the follow-up to the shop")
    assert "Follow-up added" in officer.locator(".govuk-notification-banner").inner_text()
    submit(officer)


def emails_about(app, to: str) -> list:
    """What the live server has emailed `to` about the journey's follow-up."""
    return [e for e in app.extensions["mailer"].outbox if e.to == to and FOLLOW_UP in e.body]


def link_in(email) -> str:
    return email.body.rstrip().rsplit("\n", 1)[-1]


def manager_answers(manager, base: str, link: str) -> None:
    sign_in(manager, base, "manager@example.com")
    manager.goto(link)  # the link in the email
    assert heading(manager) == "Follow-up action"
    assert FOLLOW_UP in manager.locator("main").inner_text()
    checked(manager, phone=False)
    click(manager, "link", "Visits and follow-ups")
    assert heading(manager) == "Visits and follow-ups"
    checked(manager, phone=False)
    main = manager.locator("main").inner_text()
    assert FOLLOW_UP in main and "Test purchase failed" in main
    for note in SECRET_NOTES:
        assert note not in main

    rows = manager.locator("tbody tr").filter(has_text="Demo Hardware High Street")
    with manager.expect_navigation():
        rows.first.get_by_role("link").click()
    checked(manager, phone=False)
    summary = manager.locator("main").inner_text()
    assert "Failed: the item was sold" in summary and "Lock knife" in summary
    assert "Volunteer" not in summary and "15" not in summary.split("Test purchase")[1][:200]
    for note in SECRET_NOTES:
        assert note not in summary

    click(manager, "link", "Answer or view this follow-up")
    manager.set_viewport_size(PHONE)  # answered on the phone that takes the photo
    checked(manager)
    manager.fill("#response_note", "All weekend staff retrained on Saturday; records signed")
    # A photo from the phone's camera: the file input takes it as the camera would give it.
    manager.set_input_files("#evidence", files=[{"name": "IMG_0042.jpg",
                                                  "mimeType": "image/jpeg",
                                                  "buffer": PHOTO}])
    click(manager, "button", "Send your answer to the officer")
    assert "Answer sent" in manager.locator(".govuk-notification-banner").inner_text()
    checked(manager, phone=False)
    manager.go_back()  # the manager sees the photo they sent on the follow-up
    manager.reload()
    assert manager.get_by_role("link", name="IMG_0042.jpg").count() == 1


def test_officer_records_visits_and_the_manager_answers(browser, live_server, live_app,
                                                       live_db_file):
    operation_id = read_db(live_db_file, "SELECT id FROM operations WHERE name = ?",
                           OPERATION)[0][0]
    contexts = []

    def new_page(viewport):
        context = browser.new_context(viewport=viewport, base_url=live_server)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    try:
        officer = new_page(PHONE)
        officer.goto("/auth/sign-in")
        report = f"/visits/operations/{operation_id}/report"
        sign_in(officer, live_server, "officer@example.com")
        officer.goto(report)
        checked(officer)
        before = figures(officer)
        officer.context.clear_cookies()

        officer_records_two_visits(officer, live_server)
        [raised] = emails_about(live_app, "manager@example.com")
        assert link_in(raised).startswith(f"{live_server}/visits/follow-ups/")
        for note in SECRET_NOTES:
            assert note not in raised.body
        manager_answers(new_page(DESKTOP), live_server, link_in(raised))
        [answered] = emails_about(live_app, "officer@example.com")
        assert "All weekend staff retrained" in answered.body
        assert link_in(answered) == link_in(raised)

        # The officer closes the answered follow-up from the dashboard.
        officer.goto("/visits/")
        click(officer, "link", f"Demo Hardware High Street: {FOLLOW_UP}")
        checked(officer)
        assert "All weekend staff retrained" in officer.locator("main").inner_text()
        photo = officer.get_by_role("link", name="IMG_0042.jpg")
        served = officer.context.request.get(photo.get_attribute("href"))
        assert served.ok and served.body() == PHOTO
        assert served.headers["content-type"] == "image/jpeg"
        assert served.headers["x-content-type-options"] == "nosniff"
        officer.get_by_label("Yes, close it").check()
        click(officer, "button", "Save decision")
        assert "Follow-up closed" in officer.locator(".govuk-notification-banner").inner_text()
        checked(officer)
        assert read_db(live_db_file, "SELECT status FROM follow_ups WHERE action = ?",
                       FOLLOW_UP) == [("closed",)]

        # The priority list and the operation report count it.
        officer.goto("/visits/")
        click(officer, "link", "Visit priorities")
        checked(officer)
        row = officer.locator("tbody tr").filter(has_text="Demo Hardware High Street")
        assert "Unresolved failed test purchase" in row.inner_text()
        officer.goto("/visits/operations")
        checked(officer)
        with officer.expect_navigation():
            officer.get_by_role("link", name=OPERATION).first.click()
        checked(officer)
        after = figures(officer)
        assert int(after["visits"]) == int(before["visits"]) + 2
        assert int(after["attempted"]) == int(before["attempted"]) + 1
        assert int(after["failed"]) == int(before["failed"]) + 1
        rate = round(100 * int(after["failed"]) / int(after["attempted"]))
        assert after["rate"] == f"{rate}%"
    finally:
        for context in contexts:
            context.close()
