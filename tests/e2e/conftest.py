"""Browser journeys: a live server on the demo data, headless Debian Chromium, axe-core checks.

Every test in this folder is marked `e2e` (select or skip them with `-m e2e` / `-m "not e2e"`)
and `no_db`, so the root conftest's per-test transaction fixture leaves the database alone:
the live server owns its own SQLite file, migrated and filled with the demo data once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from compliance.demo import DEMO_PASSWORD  # the published demo sign-in
from tests import conftest as root_conftest

# Debian's Chromium (`playwright install` cannot download browsers here). CHROMIUM_PATH
# overrides it, e.g. to check the skip and REQUIRE_BROWSER=1 behaviour.
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
NO_BROWSER = (f"Browser tests need Chromium at {CHROMIUM}: "
              "install Chromium: apt-get install -y chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1100, "height": 900}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
E2E_DIR = Path(__file__).resolve().parent


def _browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


def pytest_configure(config: pytest.Config) -> None:
    # `no_db` is a plain keyword the root `_transaction` fixture looks for; declare it so
    # --strict-markers accepts it without touching pyproject.toml.
    config.addinivalue_line(
        "markers", "no_db: the test does not use the per-test database transaction")


@pytest.hookimpl(tryfirst=True)  # before `-m` selection runs, so `-m e2e` sees the marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = not CHROMIUM.exists()
    for item in items:
        if E2E_DIR not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.e2e)
        item.add_marker(pytest.mark.no_db)
        if missing and not _browser_required():
            item.add_marker(pytest.mark.skip(reason=NO_BROWSER))


# --- the live server ------------------------------------------------------------------------


def live_settings(database_uri: str) -> dict:
    # The root conftest's unit-test settings (named `test_settings` in older revisions).
    base = getattr(root_conftest, "settings_for", None) or root_conftest.test_settings
    settings = dict(base(database_uri))
    settings.update(TESTING=True, WTF_CSRF_ENABLED=True)  # real CSRF tokens in real forms
    settings.pop("SERVER_NAME", None)  # "localhost" would 404 every request to 127.0.0.1
    # Added for test_training_journey.py: a 3-second quiz cooling-off, so a failed attempt
    # can be retried within the test (quiz_state reads it as float minutes).
    settings["QUIZ_COOLING_OFF_MINUTES"] = 0.05
    # Every journey shares one client address, and the verify page, its JSON and its form share
    # one budget: the production limit would run out across journeys, not within one.
    settings["VERIFY_RATE_LIMIT"] = "1000 per minute"
    return settings


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on 127.0.0.1 with a random port, over a migrated SQLite file of demo data."""
    from flask_migrate import upgrade

    from compliance import create_app
    from compliance.demo_data import (
        load_demo_assessments,
        load_demo_certificates,
        load_demo_data,
        load_demo_training,
        load_demo_verification,
        load_demo_visits,
    )
    from compliance.extensions import db

    db_file = tmp_path_factory.mktemp("e2e-db") / "e2e.sqlite3"
    settings = live_settings(f"sqlite:///{db_file}")
    settings["EVIDENCE_STORAGE_DIR"] = str(tmp_path_factory.mktemp("e2e-evidence"))
    settings["EXPORT_STORAGE_DIR"] = str(tmp_path_factory.mktemp("e2e-exports"))

    setup_app = create_app(settings)
    with setup_app.app_context():
        upgrade()
        load_demo_data()
        load_demo_training()  # added: training modules and questions (Jo passed, Kim part way)
        load_demo_assessments()  # self-assessments (green, red, a draft) and a refusals register
        load_demo_certificates()  # every certificate status, for the verify journey
        load_demo_visits()  # Operation Sceptre visits, a failed test purchase, a follow-up
        load_demo_verification()  # verified, suspended and self-assessed premises records
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

    # A fresh instance, served with no app context pushed, so requests never share `g`.
    app = create_app(settings)
    LIVE.update(app=app, db_file=db_file)  # added: see the live_app and live_db_file fixtures
    with serve(app) as base:
        yield base


def closing(app):
    """`app`, with each response body closed as soon as it has been sent (or the request has
    failed), by this wrapper rather than by the server.

    Werkzeug's development server closes the body only after draining the socket, and a
    browser that resets the connection (a cancelled fetch, a closed page) makes that drain
    raise first: a static file's handle is then left for the garbage collector, whose
    ResourceWarning pytest turns into an error in whichever test happens to be running."""

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            yield from body
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return wsgi


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve `app` on a free loopback port in a thread; yields its address. Printed and
    emailed links point where the server really listens; the pool is disposed afterwards."""
    from werkzeug.serving import make_server

    from compliance.extensions import db

    server = make_server("127.0.0.1", 0, closing(app), threaded=True)
    app.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield app.config["PUBLIC_BASE_URL"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


# Added for test_training_journey.py: the served app (to read its MemoryMailer outbox,
# app.extensions["mailer"].outbox) and its SQLite file (to read quiz answers), both set by
# live_server.
LIVE: dict = {}


@pytest.fixture(scope="session")
def live_app(live_server: str):
    """The Flask app object the live server is serving."""
    return LIVE["app"]


@pytest.fixture(scope="session")
def live_db_file(live_server: str) -> Path:
    """The live server's SQLite database file (open it read-only)."""
    return LIVE["db_file"]


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if _browser_required():
            pytest.fail(f"REQUIRE_BROWSER=1 but {NO_BROWSER}", pytrace=False)
        pytest.skip(NO_BROWSER)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser, live_server: str):
    """A fresh browser context (no cookies) and page for each test."""
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


# --- helpers --------------------------------------------------------------------------------

_AXE = None


def _axe():
    global _AXE
    if _AXE is None:
        from axe_playwright_python.sync_playwright import Axe

        _AXE = Axe()
    return _AXE


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the page as it is now."""
    results = _axe().run(page, options={
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "resultTypes": ["violations"],
    })
    return results.response["violations"]


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v.get('help')} "
                     f"[{len(v['nodes'])} node(s)]")
        for node in v["nodes"][:3]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    {target}")
            lines.append(f"      {node.get('html', '').strip()[:200]}")
    return "\n".join(lines)


def check_a11y(page) -> None:
    """Assert axe-core finds no WCAG A/AA violations on the current page."""
    violations = axe_violations(page)
    assert not violations, format_violations(page.url, violations)


def sign_in(page, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form (with its CSRF token) and wait for the next page."""
    page.goto(f"{base}/auth/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
