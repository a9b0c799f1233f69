"""The demo command: migrates the embedded SQLite database, loads demo data, serves safely."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from compliance.demo import demo_command

pytestmark = pytest.mark.no_db


def _env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY",)}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    return env


def test_demo_prepares_idempotently(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    for _ in range(2):
        result = CliRunner().invoke(demo_command, ["--no-serve"])
        assert result.exit_code == 0, result.output
    assert "staff@example.com" in result.output and "demo-password-2026" in result.output
    engine = create_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM users")).scalar() == 5
        assert conn.execute(text("SELECT count(*) FROM training_completions")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM training_modules")).scalar() >= 10
        # Demo Hardware, and the shops in the demo visits (one not registered yet).
        assert conn.execute(text("SELECT count(*) FROM retailers")).scalar() == 4
        assert conn.execute(text("SELECT count(*) FROM visits")).scalar() == 12
        assert conn.execute(text(
            "SELECT count(*) FROM test_purchases WHERE sold AND resolved_at IS NULL")).scalar() == 1
        assert conn.execute(text(
            "SELECT count(*) FROM follow_ups WHERE status = 'open'")).scalar() == 1
        assert conn.execute(text(
            "SELECT count(*) FROM premises p JOIN retailers r ON r.id = p.retailer_id "
            "WHERE r.name = 'Demo Hardware Ltd'")).scalar() == 2
    engine.dispose()


def test_demo_refuses_a_non_sqlite_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    result = CliRunner().invoke(demo_command, ["--no-serve"])
    assert result.exit_code != 0
    assert "only runs on the embedded SQLite database" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_served_demo_gives_each_visitor_their_own_csrf_token(tmp_path):
    """`flask --app compliance demo` serves a fresh app: requests never share `g`."""
    port = _free_port()
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    log = open(tmp_path / "demo.log", "w")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen([flask, "--app", "compliance", "demo", "--port", str(port)],
                            env=_env(tmp_path), stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):  # 30 s: on a busy machine the demo's preparation takes 15
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        tokens = []
        for _ in range(2):
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
            page = opener.open(base + "/auth/sign-in", timeout=5).read().decode()
            tokens.append(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                                    page).group(1))
            # The visitor's own token works for them.
            signed_in = opener.open(urllib.request.Request(
                base + "/auth/sign-in", data=(
                    f"csrf_token={tokens[-1]}&email=manager%40example.com"
                    "&password=demo-password-2026").encode(), method="POST"), timeout=5)
            assert "Hello, Sam Manager" in signed_in.read().decode()
        assert tokens[0] != tokens[1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
