"""Smoke journeys in a real browser: every role's pages, the anonymous pages, a form error,
the keyboard and a phone-width layout, with axe-core on every page visited."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import check_a11y, sign_in

NAV_LINKS = ".govuk-service-navigation__list a"

# What compliance/navigation.py gives each role in the header.
ROLES = {
    "admin": ("admin@example.com", "Alex Admin",
              {"Home", "Training", "Certificates", "Visits", "Businesses", "Accounts", "Agencies",
               "Question bank", "Checklist", "Content reviews",
               "Audit log", "Background jobs", "Your account"}),
    "officer": ("officer@example.com", "Olu Officer",
                {"Home", "Training", "Certificates", "Visits", "Businesses", "Your account"}),
    "manager": ("manager@example.com", "Sam Manager",
                {"Home", "Training", "Certificates", "Your business", "Training records",
                 "Visits and follow-ups", "Your account"}),
    "staff": ("staff@example.com", "Jo Staff",
              {"Home", "Training", "Certificates", "Record a refusal", "Your account"}),
}


def visit(page, url: str) -> None:
    """Go to a page, check it loaded and passes axe."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    check_a11y(page)


def follow(page, name: str) -> None:
    """Follow a link (or a link styled as a button) by its text, then check the page."""
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).first.click()
    check_a11y(page)


def nav_links(page) -> dict[str, str]:
    links = page.locator(NAV_LINKS)
    return {links.nth(i).inner_text().strip(): links.nth(i).get_attribute("href")
            for i in range(links.count())}


@pytest.mark.parametrize("role", list(ROLES))
def test_role_journey(page, live_server, role):
    email, name, expected_nav = ROLES[role]
    sign_in(page, live_server, email)

    assert page.locator("h1").inner_text() == f"Hello, {name}"
    check_a11y(page)

    links = nav_links(page)
    assert set(links) == expected_nav
    for href in links.values():
        visit(page, live_server + href if href.startswith("/") else href)

    if role == "manager":
        visit(page, live_server + links["Your business"])  # redirects to the business page
        assert page.locator("h1").inner_text() == "Demo Hardware Ltd"
        business = page.url
        follow(page, "Demo Hardware High Street")
        assert page.locator("h1").inner_text() == "Demo Hardware High Street"
        page.goto(business)
        follow(page, "Invite a staff member")
        page.goto(business)
        follow(page, "Add premises")
    elif role == "admin":
        page.goto(live_server + links["Accounts"])
        follow(page, "Create an officer or admin account")
        page.goto(live_server + links["Agencies"])
        follow(page, "Add an agency")
        visit(page, live_server + links["Audit log"])
        assert page.locator("h1").inner_text() == "Audit log"
        visit(page, live_server + links["Background jobs"])  # checked with axe by visit()
        assert page.locator("h1").inner_text() == "Background jobs"

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert re.search(r"/auth/sign-in$", page.url)
    assert page.locator("h1").inner_text() == "Sign in"
    assert "You have signed out" in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_role("button", name="Sign out").count() == 0


@pytest.mark.parametrize("path", [
    "/",
    "/auth/sign-in",
    "/businesses/register",
    "/auth/password/forgot",
    "/accessibility",
])
def test_anonymous_page(page, live_server, path):
    visit(page, live_server + path)


def test_not_found_page(page, live_server):
    response = page.goto(live_server + "/no-such-page")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    check_a11y(page)


def test_sign_in_errors(page, live_server):
    page.goto(live_server + "/auth/sign-in")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert page.title().startswith("Error:")
    hrefs = {a.get_attribute("href") for a in summary.locator("a").all()}
    assert hrefs == {"#email", "#password"}
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    page.wait_for_function("document.activeElement"
                           " && document.activeElement.classList.contains('govuk-error-summary')")
    check_a11y(page)

    page.fill("#email", "officer@example.com")
    page.fill("#password", "not-the-password")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert "Enter a correct email address and password" in summary.inner_text()
    assert "Enter a correct email address and password" in page.locator("#email-error").inner_text()
    check_a11y(page)


def test_skip_link_is_first_tab_stop(page, live_server):
    page.goto(live_server + "/auth/sign-in")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({text: document.activeElement.textContent.trim(),"
        " cls: document.activeElement.className})")
    assert focused["text"] == "Skip to main content"
    assert "govuk-skip-link" in focused["cls"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


@pytest.mark.parametrize("email, paths", [
    ("manager@example.com", ["/businesses/", "/certificates/"]),
    ("officer@example.com", ["/", "/visits/premises?q=e", "/visits/operations"]),
    ("admin@example.com", ["/admin/users", "/admin/agencies", "/admin/audit", "/businesses/",
                           "/admin/jobs/"]),
])
def test_pages_fit_a_phone(page, live_server, email, paths):
    """At 360 px wide nothing scrolls sideways: wide tables scroll inside their own region."""
    sign_in(page, live_server, email)
    page.set_viewport_size({"width": 360, "height": 800})
    for path in paths:
        page.goto(live_server + path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 360 + 1, f"{path} scrolls sideways: {scroll_width}px wide"
        check_a11y(page)
