"""A manager clears the home page's to-dos in a real browser on a 360 px phone, with axe-core
on every page: signing three weeks of the refusals register, and emailing an untrained member
of staff a reminder. The journey builds its own business, so other journeys cannot change it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from compliance.demo import DEMO_PASSWORD
from tests.e2e.conftest import check_a11y, sign_in

PHONE = {"width": 360, "height": 800}
MANAGER = "home.journey.manager@example.com"
STAFF = "home.journey.staff@example.com"


def _seed(app) -> None:
    """A business whose premises joined three full weeks ago, with one untrained staff member."""
    from sqlalchemy import select

    from compliance.auth.passwords import hash_password
    from compliance.extensions import db
    from compliance.models import Jurisdiction, Premises, Retailer, Role, User
    from compliance.refusals.clock import UK, monday_of, uk_today

    with app.app_context():
        if db.session.scalar(select(User.id).where(User.email == MANAGER)):
            return
        joined = datetime.combine(monday_of(uk_today()) - timedelta(weeks=3), time(12), UK)
        retailer = Retailer(name="Home Journey Cutlery Ltd", contact_name="Hana Manager",
                            contact_email=MANAGER)
        db.session.add(retailer)
        db.session.flush()
        premises = Premises(retailer_id=retailer.id, name="Journey Parade",
                            address_line_1="1 Journey Parade", town="Testbury",
                            postcode="TE1 2ST", jurisdiction=Jurisdiction.ENGLAND_WALES,
                            created_at=joined)
        db.session.add(premises)
        db.session.flush()
        password = hash_password(DEMO_PASSWORD)
        db.session.add_all([
            User(email=MANAGER, name="Hana Manager", role=Role.MANAGER, retailer_id=retailer.id,
                 password_hash=password),
            User(email=STAFF, name="Ravi Untrained", role=Role.STAFF, retailer_id=retailer.id,
                 premises_id=premises.id, password_hash=password)])
        db.session.commit()
        db.session.remove()


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} scrolls sideways: {width}px wide"
    check_a11y(page)


def todo(page, kind: str):
    return page.locator(f'[data-todo="{kind}"]')


def test_manager_clears_home_page_to_dos(browser, live_server, live_app):
    _seed(live_app)
    context = browser.new_context(viewport=PHONE, base_url=live_server)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, MANAGER)
        assert page.locator("h1").inner_text() == "Hello, Hana Manager"
        weeks = todo(page, "register-weeks")
        assert "Sign off 3 weeks of the refusals register" in weeks.inner_text()
        assert "Overdue" in weeks.inner_text()
        assert "Ravi Untrained is not trained" in todo(page, "untrained").inner_text()
        fits(page)

        with page.expect_navigation():
            weeks.get_by_role("link").click()
        assert page.locator("h1").inner_text() == "Sign off weeks of the register"
        fits(page)
        boxes = page.get_by_role("checkbox")
        assert boxes.count() == 4  # three finished weeks, oldest first, and this week
        for n in range(3):
            boxes.nth(n).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Sign off the selected weeks").click()
        assert "3 weeks signed off" in page.locator(".govuk-notification-banner").inner_text()

        page.goto(f"{live_server}/")
        assert "Refusals register signed off" in todo(page, "register-weeks").inner_text()
        assert "weeks of the refusals register" not in todo(page, "register-weeks").inner_text()
        fits(page)

        chase = todo(page, "untrained")
        with page.expect_navigation():
            chase.get_by_role("button", name="Email a reminder about: Ravi Untrained is not "
                                              "trained").click()
        banner = page.locator(".govuk-notification-banner").inner_text()
        assert "We have emailed Ravi Untrained a reminder" in banner
        assert "You emailed them a reminder on" in todo(page, "untrained").inner_text()
        fits(page)
        outbox = live_app.extensions["mailer"].outbox
        assert [e.to for e in outbox if e.to == STAFF] == [STAFF]
        assert f"{live_server}/training/" in next(e.body for e in outbox if e.to == STAFF)
    finally:
        context.close()
