"""The page chrome (header, navigation, footer) is rendered once per role and page, and each
person still sees their own role's navigation, the current page marked and their own token."""

import re

import pytest
from flask import template_rendered

from compliance.chrome import CSRF_PLACEHOLDER
from compliance.models import Role
from tests.factories import AgencyFactory, UserFactory

SIGN_OUT_TOKEN = re.compile(
    r'action="/auth/sign-out" class="app-sign-out">\s*'
    r'<input type="hidden" name="csrf_token" value="([^"]+)">')


@pytest.fixture
def rendered(app):
    """The names of the templates rendered while the test runs."""
    names: list[str] = []

    def _record(_sender, template, context, **_extra):
        names.append(template.name)

    template_rendered.connect(_record, app)
    yield names
    template_rendered.disconnect(_record, app)


def _user(role: Role):
    return UserFactory(role=role, agency=AgencyFactory() if role == Role.OFFICER else None)


def _nav(page: str) -> str:
    return page.split('<nav aria-label="Menu"', 1)[1].split("</nav>", 1)[0]


def test_the_header_is_rendered_once_per_role_and_page(app, login_as, rendered):
    app.extensions["page_chrome"].clear()
    for _ in range(3):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = _user(Role.STAFF).get_id()
        assert client.get("/account").status_code == 200
    assert rendered.count("chrome/header.html") == 1
    assert rendered.count("chrome/footer.html") == 1
    assert rendered.count("main/account.html") == 3
    manager = app.test_client()
    with manager.session_transaction() as session:
        session["_user_id"] = _user(Role.MANAGER).get_id()
    manager.get("/account")
    manager.get("/certificates/")
    assert rendered.count("chrome/header.html") == 3  # another role, then another page
    assert rendered.count("chrome/footer.html") == 1  # the same for everyone


@pytest.mark.parametrize("role, shown, hidden", [
    (Role.STAFF, ["Record a refusal"], ["Training records", "Accounts", "Visits"]),
    (Role.MANAGER, ["Training records", "Your business"], ["Record a refusal", "Accounts"]),
    (Role.OFFICER, ["Visits", "Businesses"], ["Training records", "Accounts"]),
    (Role.ADMIN, ["Accounts", "Audit log", "Visits"], ["Training records", "Record a refusal"]),
])
def test_each_role_sees_its_own_navigation_on_the_same_page(app, role, shown, hidden):
    """Roles take turns on one page, so a header cached for one role is there to be reused."""
    for other in Role:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = _user(other).get_id()
        client.get("/account")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = _user(role).get_id()
    nav = _nav(client.get("/account").text)
    assert all(text in nav for text in shown), nav
    assert not any(f">{text}<" in nav for text in hidden), nav
    assert "Sign out" in nav and "Sign in" not in nav


def test_anonymous_visitors_see_the_sign_in_navigation(app, client, login_as):
    signed_in = app.test_client()
    with signed_in.session_transaction() as session:
        session["_user_id"] = _user(Role.STAFF).get_id()
    signed_in.get("/verify")
    nav = _nav(client.get("/verify").text)
    assert "Sign in" in nav and "Register a business" in nav
    assert "Sign out" not in nav and "Your account" not in nav


def test_the_current_page_is_marked_in_the_navigation(client, login_as):
    login_as(_user(Role.MANAGER))
    account = _nav(client.get("/account").text)
    matrix = _nav(client.get("/training/matrix").text)
    current = re.compile(r'<a class="govuk-service-navigation__link" href="([^"]+)" '
                         r'aria-current="(?:page|true)"')
    assert current.findall(account) == ["/account"]
    assert current.findall(matrix) == ["/training/matrix"]


def test_each_session_gets_its_own_sign_out_token_and_it_works(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    tokens = []
    for _ in range(2):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = _user(Role.STAFF).get_id()
        page = client.get("/account").text
        assert CSRF_PLACEHOLDER not in page
        token = SIGN_OUT_TOKEN.search(page).group(1)
        tokens.append(token)
        assert client.post("/auth/sign-out", data={"csrf_token": token}).status_code == 302
        assert client.get("/account").status_code == 302  # signed out: sent to sign in
    assert tokens[0] != tokens[1]


@pytest.fixture
def context_processor_calls(app, monkeypatch):
    """How many times the app's context processors ran (once per render_template)."""
    calls = {"n": 0}

    def _count() -> dict:
        calls["n"] += 1
        return {}

    processors = app.template_context_processors[None]
    monkeypatch.setitem(app.template_context_processors, None, [*processors, _count])
    return calls


@pytest.mark.parametrize("url", ["/auth/sign-in", "/businesses/register"])
def test_context_processors_run_once_per_form_page(client, context_processor_calls, url):
    """The form fields (GOV.UK widgets) no longer each render through render_template."""
    client.get(url)  # the page chrome is cached now
    context_processor_calls["n"] = 0
    page = client.get(url).text
    assert 'class="govuk-input' in page and 'class="govuk-button' in page
    assert context_processor_calls["n"] == 1
