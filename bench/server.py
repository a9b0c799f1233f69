"""Start and stop gunicorn (2 sync workers, one per core here; --workers to change) on 127.0.0.1
for a benchmark."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from bench.client import wait_until_up
from bench.keys import bench_env

ROOT = Path(__file__).resolve().parent.parent


def app_env(database_url: str) -> dict[str, str]:
    """The benchmark app's settings: production-like (Redis rate-limit storage in its own
    database index and key prefix), with the verify limit raised so load is not refused."""
    return {**bench_env(database_url),
            "RATELIMIT_STORAGE_URI": os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14"),
            "FLASK_RATELIMIT_KEY_PREFIX": "bench",
            "FLASK_VERIFY_RATE_LIMIT": "1000000 per minute",
            "FLASK_LOGIN_LIMIT_PER_ADDRESS": "1000 per minute"}


@contextmanager
def gunicorn(database_url: str, port: int, workers: int = 2):
    env = os.environ | app_env(database_url)
    gunicorn_bin = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [gunicorn_bin, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "120",
         "--log-level", "warning", "bench.wsgi:app"], cwd=ROOT, env=env)
    try:
        wait_until_up("127.0.0.1", port, "/bench/bare")
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def database_context(database_url: str):
    """An app context on the seeded database, for looking up ids."""
    saved = dict(os.environ)
    os.environ.update(app_env(database_url))
    try:
        from compliance import create_app

        app = create_app()
        with app.app_context():
            yield app
    finally:
        os.environ.clear()
        os.environ.update(saved)
