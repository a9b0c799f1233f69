"""Anyone checks a certificate: typed code, every status, no sign-in, accessible pages."""

import re
import sqlite3
from datetime import UTC, datetime

from playwright.sync_api import expect

from tests.e2e.conftest import check_a11y


def _codes(live_db_file) -> dict[str, str]:
    with sqlite3.connect(live_db_file) as conn:
        rows = conn.execute("SELECT code, kind, holder_name, revoked_at, expires_at "
                            "FROM certificates ORDER BY id").fetchall()
    found = {}
    for code, kind, holder, revoked, expires in rows:
        if revoked:
            found["revoked"] = code
        elif kind == "premises":
            found["premises"] = code
        elif expires < datetime.now(UTC).replace(tzinfo=None).isoformat(" "):
            found["expired"] = code
        elif holder == "Jo Staff":
            found["valid"] = code
    return found


def test_anyone_verifies_certificates_by_typing_the_code(page, live_server, live_db_file):
    codes = _codes(live_db_file)
    page.goto(live_server + "/")
    page.get_by_role("link", name="Check a certificate").click()
    expect(page).to_have_url(re.compile(r"/verify$"))
    check_a11y(page)
    page.get_by_label("Certificate code").fill(codes["valid"].lower().replace("-", " "))
    page.get_by_role("button", name="Check certificate").click()
    expect(page).to_have_url(re.compile(r"/verify/KSC-"))
    expect(page.locator("h1")).to_have_text("This certificate is valid")
    assert "Jo Staff" in page.content() and "staff@example.com" not in page.content()
    check_a11y(page)
    for status, heading in (("revoked", "This certificate has been revoked"),
                            ("expired", "This certificate has expired")):
        page.goto(f"{live_server}/verify/{codes[status]}")
        assert page.locator("h1").inner_text() == heading
        check_a11y(page)
    page.goto(f"{live_server}/verify")
    page.get_by_label("Certificate code").fill("KSC-XXXX-XXXX-XXXX")
    page.get_by_role("button", name="Check certificate").click()
    # The click returns once the GET is sent; wait for the answer, not a guess.
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_a11y(page)
