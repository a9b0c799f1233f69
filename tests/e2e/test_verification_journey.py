"""An officer verifies premises after a satisfactory visit; the public sees who verified it.

The demo data has Riverside Cutlery Market Square meeting every condition (a green
self-assessment, its one member of staff trained) after the demo officer's compliant
follow-up visit on 21 November 2026.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

from tests.e2e.conftest import check_a11y, sign_in

SHOP = "Riverside Cutlery Market Square"


def latest_visit_id(db_file) -> int:
    with closing(sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=10)) as conn:
        return conn.execute(
            "SELECT v.id FROM visits v JOIN premises p ON p.id = v.premises_id "
            "WHERE p.name = ? AND v.status = 'submitted' ORDER BY v.visited_at DESC LIMIT 1",
            (SHOP,)).fetchone()[0]


def test_officer_verifies_premises_and_the_public_sees_verified_by(page, live_server,
                                                                   live_db_file):
    sign_in(page, live_server, "officer@example.com")
    page.goto(f"{live_server}/visits/{latest_visit_id(live_db_file)}")
    with page.expect_navigation():
        page.get_by_role("link", name="Verify these premises").click()
    assert page.locator("h1").inner_text() == "Verify these premises"
    assert "Every condition is met" in page.content()
    check_a11y(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Issue the verified premises certificate").click()
    assert "Verified premises certificate" in page.content()
    assert "Verified by Demo Constabulary after a visit on 21 November 2026" in page.content()
    check_a11y(page)
    code = page.locator("h1").inner_text().strip()

    # Anyone, signed out, checks the code.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server}/verify")
    page.get_by_label("Certificate code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Check certificate").click()
    assert page.locator("h1").inner_text() == "This certificate is valid"
    verified_by = page.locator("#verified-by").inner_text()
    assert verified_by == "Verified by Demo Constabulary after a visit on 21 November 2026."
    assert "Verified premises certificate" in page.content()
    check_a11y(page)


def test_the_public_sees_a_statement_is_self_assessed(page, live_server, live_db_file):
    with closing(sqlite3.connect(f"file:{live_db_file}?mode=ro", uri=True)) as conn:
        code = conn.execute("SELECT code FROM certificates WHERE kind = 'statement' "
                            "ORDER BY id DESC LIMIT 1").fetchone()[0]
    page.goto(f"{live_server}/verify/{code}")
    assert page.locator("h1").inner_text() == "This statement is valid"
    assert "Self-assessed by the business, not inspected." in \
        page.locator("#self-assessed").inner_text()
    check_a11y(page)
    page.goto(f"{live_server}/verify/KSC-2345-6789-ABC8")
    assert page.locator("h1").inner_text() == "No certificate has this code"
    check_a11y(page)
