"""An admin previews a Moodle GIFT file in the browser: module error, preview, confirmation
error; every page accessible. It stops before importing, so the shared demo bank is untouched."""

from pathlib import Path

from tests.e2e.conftest import check_a11y, sign_in

DOCS_GIFT = Path(__file__).resolve().parents[1] / "data" / "moodle_docs.gift"


def test_admin_previews_a_moodle_file_and_must_confirm_skipping(page, live_server):
    sign_in(page, live_server, "admin@example.com")
    page.goto(live_server + "/admin/questions/")
    page.get_by_role("link", name="Import from Moodle (GIFT or XML)").click()
    check_a11y(page)
    page.get_by_label("Question file").set_input_files(str(DOCS_GIFT))
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the import").click()
    assert "Select a module for the questions in these categories" in page.content()
    check_a11y(page)
    page.get_by_label("Question file").set_input_files(str(DOCS_GIFT))
    page.get_by_label("Module for questions without a module category (optional)").select_option(
        "challenge-25-and-id")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the import").click()
    assert page.locator("h1").inner_text() == "Check the import"
    check_a11y(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Import the 13 questions we can; skip 9").click()
    summary = page.locator(".govuk-error-summary")
    assert "Confirm that the 9 questions listed will be skipped" in summary.inner_text()
    check_a11y(page)
