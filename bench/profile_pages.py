"""Profile the quick pages in-process on the seeded database: time, SQL and Redis round trips.

    .venv/bin/python -m bench.profile_pages \
        --database-url postgresql://postgres@127.0.0.1:5432/bench_national \
        [--pages "quiz,verify"] [--requests 50] [--profile 25]

Each page is requested --requests times through the real app (Flask's test client, the same
settings as the load benchmark: Redis rate-limit storage), signed in as its demo account; the
report gives the mean time per request, the Python CPU time per request (this process's own
work: templates, ORM, Flask; it does not count waiting for PostgreSQL, so it moves less with the
machine's load), the SQL statements, the exchanges with PostgreSQL and the Redis commands.
--profile N prints cProfile's N most expensive functions for each page; with PROFILE_CALLERS set to
a pattern (e.g. "radios"), also who called the functions it matches; with PROFILE_SORT=cumulative,
sorted by time including callees (the default is each function's own time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time

import psycopg
from flask.globals import _cv_app
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import event, select

from bench.pages import key_pages
from bench.server import database_context
from compliance.extensions import db
from compliance.models import User

SORT = os.environ.get("PROFILE_SORT", "tottime")
QUICK = ("quiz question", "verify page", "verify JSON", "certificate download", "manager home",
         "self-assessment page", "visit form")


class Counter:
    def __init__(self) -> None:
        self.sql = 0
        self.redis = 0
        self.trips = 0


def install_counters(counter: Counter) -> None:
    event.listen(db.engine, "after_cursor_execute", lambda *a, **k: _bump(counter, "sql"))
    original = Redis.execute_command

    def counted(self, *args, **kwargs):
        counter.redis += 1
        return original(self, *args, **kwargs)

    Redis.execute_command = counted  # type: ignore[method-assign]
    waited = psycopg.Connection.wait

    def wait(self, gen, *args, **kwargs):  # every exchange with the server (ping, BEGIN…)
        counter.trips += _exchanges(self, gen)
        return waited(self, gen, *args, **kwargs)

    psycopg.Connection.wait = wait  # type: ignore[method-assign]


def _exchanges(connection: psycopg.Connection, gen) -> int:
    """The exchanges with the server in one psycopg wait: none to switch autocommit, none for a
    COMMIT or ROLLBACK with no transaction open (psycopg skips them), two for a statement that
    opens a transaction (psycopg sends BEGIN first, in the same wait), else one."""
    name = getattr(gen, "__qualname__", "")
    idle = connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    if name.endswith("_set_autocommit_gen"):
        return 0
    if name.endswith(("_rollback_gen", "_commit_gen")):
        return 0 if idle else 1
    if name.endswith("_execute_gen") and idle and not connection.autocommit:
        return 2
    return 1


def _bump(counter: Counter, name: str) -> None:
    setattr(counter, name, getattr(counter, name) + 1)


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as under gunicorn (no user cached in `g`)."""

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


def client_for(app, email: str | None):
    app.test_client_class = IsolatedClient
    client = app.test_client()
    if email:
        user = db.session.scalar(select(User).where(User.email == email))
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client


def run(app, pages, requests: int, profile: int) -> list[dict]:
    counter = Counter()
    install_counters(counter)
    rows = []
    for page in pages:
        client = client_for(app, page.user)
        db.session.remove()
        first = client.get(page.path)
        assert first.status_code == 200, (page.name, first.status_code)
        counter.sql = counter.redis = counter.trips = 0
        profiler = cProfile.Profile() if profile else None
        start, cpu_start = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        for _ in range(requests):
            client.get(page.path)
        if profiler:
            profiler.disable()
        seconds = (time.perf_counter() - start) / requests
        cpu = (time.process_time() - cpu_start) / requests
        rows.append({"page": page.name, "ms": seconds * 1000, "cpu": cpu * 1000,
                     "sql": counter.sql / requests,
                     "redis": counter.redis / requests, "trips": counter.trips / requests})
        print(f"{page.name}: {seconds * 1000:.1f} ms, {counter.sql / requests:.1f} SQL, "
              f"{counter.redis / requests:.1f} Redis per request", flush=True)
        if profiler:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats(SORT)
            stats.print_stats(profile)
            if os.environ.get("PROFILE_CALLERS"):
                stats.print_callers(os.environ["PROFILE_CALLERS"])
            print(out.getvalue())
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--pages", help="Comma-separated parts of page names.")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--profile", type=int, default=0)
    args = parser.parse_args()
    wanted = [w.strip().lower() for w in (args.pages or ",".join(QUICK)).split(",") if w]
    with database_context(args.database_url) as app:
        app.config["SERVER_NAME"] = None
        pages = [p for p in key_pages() if any(w in p.name.lower() for w in wanted)]
        rows = run(app, pages, args.requests, args.profile)
    print("| Page | Time per request | Python CPU per request | SQL statements "
          "| PostgreSQL round trips | Redis commands |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['page']} | {r['ms']:.1f} ms | {r['cpu']:.1f} ms | {r['sql']:.1f} "
              f"| {r['trips']:.1f} | {r['redis']:.1f} |")


if __name__ == "__main__":
    main()
