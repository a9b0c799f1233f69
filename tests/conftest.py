"""Shared fixtures: a migrated database, a transaction rolled back after every test, clients."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, text

from compliance import create_app
from compliance.extensions import db, limiter
from compliance.models import Role, User
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def settings_for(database_uri: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "WTF_CSRF_ENABLED": False,
        "MAIL_BACKEND": "memory",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 64,
        "SERVER_NAME": "localhost",
        "PUBLIC_BASE_URL": "https://portal.example.org",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
    }


def reset_database(url: str) -> None:
    """Start PostgreSQL runs from an empty schema, so the real migrations build it."""
    from compliance import database_uri

    engine = create_engine(database_uri(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production.

    Tests hold an app context open for factories; Flask would otherwise reuse it for every
    request, sharing `g` (and Flask-Login's cached user) between requests.
    """

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        reset_database(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    app = create_app(settings_for(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
        db.session.remove()
        # Requests and test code share one connection; session commits become savepoints.
        db.session.configure(join_transaction_mode="create_savepoint")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _transaction(request, app: Flask, monkeypatch) -> Iterator[None]:
    """Every test runs inside one transaction that is rolled back at the end."""
    if "no_db" in request.keywords:
        yield
        return
    ctx = app.app_context()
    ctx.push()
    engine = db.engine
    conn = engine.connect()
    outer = conn.begin()
    monkeypatch.setitem(db.engines, None, conn)
    limiter.reset()
    app.extensions.pop("mailer", None)
    try:
        yield
    finally:
        db.session.remove()
        outer.rollback()
        conn.close()
        ctx.pop()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app: Flask):
    from compliance.mail import get_mailer

    return get_mailer().outbox


@pytest.fixture
def login_as(client: FlaskClient):
    """Sign a user in on the test client without going through the form."""

    def _login(user: User) -> User:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return _login


@pytest.fixture
def people() -> dict[str, User]:
    """One user per kind, two businesses: the access-matrix cast."""
    retailer = factories.RetailerFactory(name="Alpha Tools Ltd")
    premises = factories.PremisesFactory(retailer=retailer)
    other = factories.RetailerFactory(name="Beta Blades Ltd")
    factories.PremisesFactory(retailer=other)
    agency = factories.AgencyFactory()
    return {
        "staff": factories.UserFactory(role=Role.STAFF, retailer=retailer, premises=premises),
        "manager": factories.UserFactory(role=Role.MANAGER, retailer=retailer),
        "other_manager": factories.UserFactory(role=Role.MANAGER, retailer=other),
        "officer": factories.UserFactory(role=Role.OFFICER, agency=agency),
        "admin": factories.UserFactory(role=Role.ADMIN),
    }


@pytest.fixture
def count_queries(app: Flask):
    """Count SQL statements run inside a `with count_queries() as counter:` block."""
    from contextlib import contextmanager

    @contextmanager
    def _count():
        counter = {"n": 0}
        engine = db.engine.engine if hasattr(db.engine, "engine") else db.engine

        def _after(*_args, **_kwargs):
            counter["n"] += 1

        event.listen(engine, "after_cursor_execute", _after)
        try:
            yield counter
        finally:
            event.remove(engine, "after_cursor_execute", _after)

    return _count


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


from tests.races import committed_db  # noqa: E402,F401  (a fixture for race tests)
