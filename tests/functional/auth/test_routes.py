import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from compliance import create_app
from compliance.extensions import db
from compliance.models import AuditEvent
from compliance.models.base import utcnow
from tests.conftest import settings_for
from tests.factories import TEST_PASSWORD, UserFactory

GENERIC = "Enter a correct email address and password"


def sign_in(client, email, password=TEST_PASSWORD, **kw):
    return client.post("/auth/sign-in", data={"email": email, "password": password}, **kw)


def test_sign_in_and_out(client):
    user = UserFactory(name="Jo Bloggs")
    response = sign_in(client, user.email, follow_redirects=True)
    assert "Hello, Jo Bloggs" in response.text
    response = client.post("/auth/sign-out", follow_redirects=True)
    assert "You have signed out" in response.text
    assert client.get("/account").status_code == 302


def test_empty_form_shows_error_summary_and_keeps_the_email(client):
    response = client.post("/auth/sign-in", data={"email": "jo@example.com", "password": ""})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "Enter your password" in response.text
    assert 'value="jo@example.com"' in response.text
    assert "<title>Error:" in response.text


def test_wrong_password_and_unknown_account_get_the_same_message(client):
    user = UserFactory()
    wrong = sign_in(client, user.email, "not the right password")
    unknown = sign_in(client, "nobody@example.com", "not the right password")
    assert GENERIC in wrong.text and GENERIC in unknown.text
    strip = lambda html: re.sub(r'(value|nonce)="[^"]*"', "", html)  # noqa: E731
    assert strip(wrong.text) == strip(unknown.text)


def test_after_ten_failures_the_right_password_is_refused_until_the_lock_ends(client):
    user = UserFactory()
    for _ in range(10):
        assert GENERIC in sign_in(client, user.email, "not the right password").text
    response = sign_in(client, user.email)
    assert GENERIC in response.text
    assert "Hello" not in response.text
    db.session.refresh(user)
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.flush()
    assert sign_in(client, user.email).status_code == 302


def test_next_goes_only_to_this_site(client):
    user = UserFactory()
    ok = sign_in(client, user.email, query_string={"next": "/account"})
    assert ok.headers["Location"] == "/account"
    client.post("/auth/sign-out")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        response = sign_in(client, user.email, query_string={"next": evil})
        assert response.headers["Location"] == "/", evil
        client.post("/auth/sign-out")


def test_sign_in_without_csrf_token_is_refused(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = UserFactory()
    response = sign_in(client, user.email)
    assert response.status_code == 400
    assert "The form has expired" in response.text
    page = client.get("/auth/sign-in")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    response = client.post("/auth/sign-in", data={"email": user.email, "password": TEST_PASSWORD,
                                                  "csrf_token": token})
    assert response.status_code == 302


def test_sign_ins_are_rate_limited_per_account(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per minute")
    for _ in range(3):
        assert sign_in(client, "target@example.com", "guess guess guess").status_code == 200
    response = sign_in(client, "target@example.com", "guess guess guess")
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    # Another account from the same address is not blocked by the per-account limit.
    assert sign_in(client, "other@example.com", "guess guess guess").status_code == 200


def test_sign_ins_are_rate_limited_per_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "4 per minute")
    for n in range(4):
        assert sign_in(client, f"a{n}@example.com", "guess guess guess").status_code == 200
    assert sign_in(client, "a9@example.com", "guess guess guess").status_code == 429


def test_rate_limits_can_live_in_redis(database_url, monkeypatch):
    """RATELIMIT_STORAGE_URI=redis://… shares counts between app instances (workers)."""
    settings = settings_for(database_url) | {
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
        "LOGIN_LIMIT_PER_ACCOUNT": "2 per minute",
    }
    apps: list[Flask] = [create_app(settings), create_app(settings)]
    from compliance.extensions import limiter

    test_connection = db.engines[None]
    for worker in apps:  # keep their writes inside this test's transaction
        with worker.app_context():
            monkeypatch.setitem(db.engines, None, test_connection)

    with apps[0].app_context():
        limiter.reset()
    email = "redis-shared@example.com"
    codes = []
    for worker in (apps[0], apps[1], apps[0]):
        with worker.test_client() as c:
            codes.append(c.post("/auth/sign-in",
                                data={"email": email, "password": "guess guess guess"}).status_code)
    assert codes == [200, 200, 429]
    with apps[0].app_context():
        limiter.reset()


def test_password_reset_journey(client, outbox):
    user = UserFactory(email="reset.me@example.com")
    response = client.post("/auth/password/forgot", data={"email": "Reset.Me@example.com"})
    assert "Check your email" in response.text
    assert len(outbox) == 1 and outbox[0].to == "reset.me@example.com"
    link = re.search(r"https://portal\.example\.org(/auth/password/reset/\S+)",
                     outbox[0].body).group(1)
    assert client.get(link).status_code == 200
    weak = client.post(link, data={"password": "password", "confirm": "password"})
    assert "Password must be 12 characters or more" in weak.text
    done = client.post(link, data={"password": "a fresh long passphrase",
                                   "confirm": "a fresh long passphrase"}, follow_redirects=True)
    assert "Your password has been changed" in done.text
    assert sign_in(client, user.email, "a fresh long passphrase").status_code == 302
    again = client.get(link)
    assert again.status_code == 404 and "already been used" in again.text


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(client, outbox):
    response = client.post("/auth/password/forgot", data={"email": "ghost@example.com"})
    assert "Check your email" in response.text
    assert outbox == []


def test_old_sessions_end_when_the_password_changes(client, login_as):
    user = login_as(UserFactory())
    assert client.get("/account").status_code == 200
    user.session_version += 1
    db.session.flush()
    assert client.get("/account").status_code == 302


def test_failed_and_successful_sign_ins_are_audited_with_the_address(client):
    user = UserFactory()
    sign_in(client, user.email, "not the right password",
            environ_base={"REMOTE_ADDR": "198.51.100.7"})
    sign_in(client, user.email, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id)
                                .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["sign_in_failed", "sign_in"]
    assert {e.ip_address for e in events} == {"198.51.100.7"}


@pytest.mark.parametrize("path", ["/auth/sign-in", "/auth/password/forgot"])
def test_auth_pages_render(client, path):
    assert client.get(path).status_code == 200


def test_signed_in_user_visiting_sign_in_goes_home(client, login_as):
    login_as(UserFactory())
    assert client.get("/auth/sign-in").headers["Location"] == "/"


def test_user_loader_rejects_malformed_ids(client):
    with client.session_transaction() as s:
        s["_user_id"] = "not-an-id"
    assert client.get("/account").status_code == 302
