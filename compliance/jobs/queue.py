"""RQ on Redis: the queue jobs are pushed to, and the worker that runs them."""

from __future__ import annotations

import logging

import redis
from flask import current_app
from rq import Queue, SimpleWorker

from compliance.extensions import db
from compliance.jobs import outbox
from compliance.jobs.registry import sweeps

log = logging.getLogger(__name__)

TARGET = "compliance.jobs.runner.run_queued"


class QueueUnavailable(RuntimeError):
    pass


def connection() -> redis.Redis:
    """One connection pool per app. Short timeouts: a dead Redis must not hold a page."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    conn = app.extensions.get("jobs_redis")
    if conn is None:
        conn = redis.Redis.from_url(app.config["JOBS_REDIS_URL"], socket_connect_timeout=1,
                                    socket_timeout=5)
        app.extensions["jobs_redis"] = conn
    return conn


def get_queue() -> Queue:
    return Queue(current_app.config["JOBS_QUEUE"], connection=connection())


def push(ids: list[int]) -> None:
    q = get_queue()
    try:
        with q.connection.pipeline() as pipe:
            for outbox_id in ids:
                q.enqueue(TARGET, outbox_id, pipeline=pipe,
                          job_timeout=int(current_app.config["JOBS_TIMEOUT_SECONDS"]),
                          result_ttl=3600, failure_ttl=7 * 24 * 3600,
                          description=f"outbox job {outbox_id}")
            pipe.execute()
    except redis.RedisError as exc:
        raise QueueUnavailable(str(exc)) from exc


def work(*, burst: bool = False, sweep_seconds: int = 60, max_jobs: int | None = None) -> None:
    """Run jobs until stopped (or, in burst mode, until the queue is empty).

    A SimpleWorker runs jobs in this process (no fork), so the app's database pool is never
    shared with a child. Between rounds the worker sweeps the outbox (the relay), so jobs that
    found Redis down are picked up without a separate cron entry, and runs the registered
    sweeps (storing the new priority scores of shops whose dates have passed). Run as many of
    these processes, on as many machines, as the load needs.
    """
    while True:
        outbox.relay()
        run_sweeps()
        worker = SimpleWorker([get_queue()], connection=connection())
        worker.work(burst=burst, max_idle_time=None if burst
                    else sweep_seconds, max_jobs=max_jobs or (None if burst else 500))
        if burst:
            return


def run_sweeps() -> dict[str, object]:
    """Run each registered sweep in its own transaction; one that fails is logged and rolled
    back, and the others (and the worker) carry on."""
    results: dict[str, object] = {}
    for name, func in sweeps().items():
        try:
            results[name] = func()
            db.session.commit()
        except Exception:  # noqa: BLE001 - upkeep must never stop the worker
            db.session.rollback()
            log.exception("sweep %s failed", name)
            results[name] = None
    return results
