"""Headers, cookies, error pages and the health check."""

import pytest
from sqlalchemy.exc import OperationalError

from compliance.extensions import db
from tests.factories import UserFactory


def test_security_headers_on_every_response(client):
    for path in ("/", "/auth/sign-in", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "'unsafe-inline'" not in csp and "script-src 'self' 'nonce-" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_only_inline_script_carries_the_nonce(client):
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    import re

    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.text)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)


def test_session_cookie_flags(app, client):
    user = UserFactory()
    response = client.post("/auth/sign-in", data={"email": user.email,
                                                  "password": "correct horse battery staple"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure_by_default():
    from compliance.config import Config

    assert Config.SESSION_COOKIE_SECURE and Config.REMEMBER_COOKIE_SECURE


def test_friendly_not_found_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "Page not found" in response.text


def test_json_clients_get_json_errors(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.json["status"] == 404


def test_server_error_page_and_rollback(app, client, monkeypatch):
    from compliance.main import routes

    def broken(_user):
        raise RuntimeError("boom")

    monkeypatch.setattr(routes, "home_summary", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    from tests.factories import UserFactory as UF

    with client.session_transaction() as s:
        s["_user_id"] = UF().get_id()
    response = client.get("/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text


def test_method_not_allowed_page(client):
    response = client.get("/auth/sign-out")
    assert response.status_code == 405 and "not available here" in response.text


def test_healthz_reports_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_database_down(app, client, monkeypatch):
    from sqlalchemy.orm import Session

    def fail(*_a, **_k):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(Session, "execute", fail)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_healthz_against_an_unreachable_database():
    """A real unreachable server (nothing listens on port 9 here), not a patched session."""
    from compliance import create_app
    from tests.conftest import settings_for

    app = create_app(settings_for("postgresql://postgres@127.0.0.1:9/none?connect_timeout=2"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("missing", ["SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PUBLIC_BASE_URL"])
def test_production_refuses_to_start_without_settings(monkeypatch, missing):
    from compliance import ConfigurationError, create_app

    for name in ("SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = {"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "PUBLIC_BASE_URL": "https://portal.example.org"}
    settings[missing] = None
    with pytest.raises(ConfigurationError):
        create_app(settings)


@pytest.mark.parametrize("bad", ["portal.example.org", "ftp://portal.example.org", "https://",
                                 "https://portal.example.org/?next=x", "javascript:alert(1)"])
def test_public_base_url_must_be_an_http_address(monkeypatch, bad):
    from compliance import ConfigurationError, create_app

    with pytest.raises(ConfigurationError, match="PUBLIC_BASE_URL"):
        create_app({"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "PUBLIC_BASE_URL": bad})


def test_database_url_from_the_environment(monkeypatch):
    from compliance import create_app, database_uri

    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://portal.example.org/")
    from tests.conftest import key_settings

    for name in ("SIGNING_KEY_PATH", "SIGNING_CERT_PATH"):  # production needs a signing key
        monkeypatch.setenv(name, key_settings()[name])
    app = create_app()
    assert app.config["PUBLIC_BASE_URL"] == "https://portal.example.org"
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SIGNING_KEY_PATH"] == key_settings()["SIGNING_KEY_PATH"]
    assert database_uri("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    with app.app_context():
        db.engine.dispose()


def test_client_address_comes_from_the_proxy_only_when_trusted(database_url, monkeypatch):
    from compliance import create_app
    from tests.conftest import settings_for

    test_connection = db.engines[None]
    for proxies, expected in ((0, "127.0.0.1"), (1, "203.0.113.50")):
        app = create_app(settings_for(database_url) | {"TRUSTED_PROXY_COUNT": proxies})
        with app.app_context():
            monkeypatch.setitem(db.engines, None, test_connection)
        seen: list[str] = []

        def remember(seen=seen):
            from flask import request

            seen.append(request.remote_addr)

        app.before_request(remember)
        app.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.50"},
                              environ_base={"REMOTE_ADDR": "127.0.0.1"})
        assert seen == [expected]
