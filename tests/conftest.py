"""Shared fixtures: a migrated database, a transaction rolled back after every test, clients."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.x509.oid import NameOID
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, text

from compliance import create_app
from compliance.extensions import db, limiter
from compliance.models import Role, User
from compliance.priorities.maintenance import settle
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
PUBLIC_BASE_URL = "https://portal.example.org"


@functools.cache
def key_settings() -> dict[str, str]:
    """Signing keys made once per test session with `cryptography`, in a temporary folder.

    A self-signed RSA certificate for PDF signatures and an Ed25519 key (started in 2020) for
    Open Badges credentials. Plain function, not a fixture: settings_for() is called outside
    fixtures too.
    """
    folder = Path(tempfile.mkdtemp(prefix="ksc-test-keys-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Knife Sales Compliance test")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (folder / "pdf-key.pem").write_bytes(key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (folder / "pdf-cert.pem").write_bytes(cert.public_bytes(pem))
    credential_keys = folder / "credential-keys"
    credential_keys.mkdir()
    (credential_keys / "2020-01-01.pem").write_bytes(ed25519.Ed25519PrivateKey.generate()
                                                     .private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return {"SIGNING_KEY_PATH": str(folder / "pdf-key.pem"),
            "SIGNING_CERT_PATH": str(folder / "pdf-cert.pem"),
            "CREDENTIAL_KEYS_DIR": str(credential_keys)}


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
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        # Jobs run in-process after each commit; tests/functional/jobs use Redis (db 5).
        "JOBS_MODE": "inline",
        "JOBS_REDIS_URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5"),
        "JOBS_RETRY_INTERVALS": (0,),
        **key_settings(),
    }


def reset_database(url: str) -> None:
    """Start PostgreSQL runs from an empty schema, so the real migrations build it."""
    from compliance import database_uri

    engine = create_engine(database_uri(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _as_if_committed() -> None:
    """What the test arranged (flushed, in its own transaction) is what a request sees, as if
    committed: the priority table, which the session hooks bring up to date at commit, is
    brought up to date with it first."""
    if _cv_app.get(None) is not None and db.session.info.get("priorities"):
        settle(db.session)


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production, and its body is read whole.

    Tests hold an app context open for factories; Flask would otherwise reuse it for every
    request, sharing `g` (and Flask-Login's cached user) between requests.
    """

    def open(self, *args, **kwargs):
        # Bodies are read and closed as a server would, so a file sent from disk (an export's
        # download) is never left open for the garbage collector to warn about.
        kwargs.setdefault("buffered", True)
        _as_if_committed()
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
def app(database_url: str, tmp_path_factory) -> Iterator[Flask]:
    # Evidence files go to a temporary folder, never the checkout's instance folder.
    app = create_app({**settings_for(database_url),
                      "EVIDENCE_STORAGE_DIR": str(tmp_path_factory.mktemp("evidence")),
                      "EXPORT_STORAGE_DIR": str(tmp_path_factory.mktemp("exports"))})
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
        db.session.remove()
        # Requests and test code share one connection; session commits become savepoints.
        db.session.configure(join_transaction_mode="create_savepoint")
    yield app
    with app.app_context():
        db.engine.dispose()


def fresh_shared_state(app: Flask) -> None:
    """What lives outside the database between tests: rate-limit counts and sent mail."""
    limiter.reset()
    app.extensions.pop("mailer", None)


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
    fresh_shared_state(app)
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
    """Count SQL statements run inside a `with count_queries() as counter:` block
    (counter["n"]; counter["statements"] holds their text)."""
    from contextlib import contextmanager

    @contextmanager
    def _count():
        counter: dict = {"n": 0, "statements": []}
        engine = db.engine.engine if hasattr(db.engine, "engine") else db.engine
        _as_if_committed()  # the data the test arranged is not the counted page's work

        def _after(_conn, _cursor, statement, *_args, **_kwargs):
            counter["n"] += 1
            counter["statements"].append(statement)

        event.listen(engine, "after_cursor_execute", _after)
        try:
            yield counter
        finally:
            event.remove(engine, "after_cursor_execute", _after)

    return _count


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


from tests.races import committed_db  # noqa: E402,F401  (a fixture for race tests)
