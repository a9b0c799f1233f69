"""RQ on Redis: the queue jobs are pushed to, and the worker that runs them."""

from __future__ import annotations

import redis
from flask import current_app
from rq import Queue, Retry, SimpleWorker

from compliance.jobs import outbox, runner

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


def _retry() -> Retry | None:
    """RQ retries a failing job until our row is dead (JOBS_MAX_ATTEMPTS runs in all)."""
    retries = runner.max_attempts() - 1
    if retries < 1:
        return None
    return Retry(max=retries, interval=[runner.backoff(n) for n in range(1, retries + 1)])


def push(ids: list[int]) -> None:
    q = get_queue()
    try:
        with q.connection.pipeline() as pipe:
            for outbox_id in ids:
                q.enqueue(TARGET, outbox_id, retry=_retry(), pipeline=pipe,
                          job_timeout=int(current_app.config["JOBS_TIMEOUT_SECONDS"]),
                          description=f"outbox job {outbox_id}")
            pipe.execute()
    except redis.RedisError as exc:
        raise QueueUnavailable(str(exc)) from exc


def work(*, burst: bool = False, sweep_seconds: int = 60, max_jobs: int | None = None) -> None:
    """Run jobs until stopped (or, in burst mode, until the queue is empty).

    A SimpleWorker runs jobs in this process (no fork), so the app's database pool is never
    shared with a child. Between rounds the worker sweeps the outbox (the relay), so jobs that
    found Redis down are picked up without a separate cron entry. Run as many of these
    processes, on as many machines, as the load needs.
    """
    while True:
        outbox.relay()
        worker = SimpleWorker([get_queue()], connection=connection())
        worker.work(burst=burst, with_scheduler=not burst, max_idle_time=None if burst
                    else sweep_seconds, max_jobs=max_jobs or (None if burst else 500))
        if burst:
            return
