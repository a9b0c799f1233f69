"""Background jobs on a real queue (RQ on Redis), written through an outbox.

The one entry point: `enqueue(name, **payload)` inside the transaction of the work, and a
function registered with `@job(name)` that does it later::

    @job("reminders.send")
    def send_reminder(user_id: int) -> None: ...

    jobs.enqueue("reminders.send", user_id=user.id)   # in a service; the view commits

JOBS_MODE "redis" (production) pushes committed jobs to RQ, run by `flask jobs worker`;
"inline" (the demo and tests) runs them in-process right after the commit. Both go through
the same outbox rows, retries and dead-letter record. See docs/deployment.md.
"""

from __future__ import annotations

from flask import Flask

from compliance.jobs.outbox import dispatch_ready, enqueue, relay
from compliance.jobs.registry import job

__all__ = ["dispatch_ready", "enqueue", "init_app", "job", "relay"]

MODES = ("inline", "redis")


def init_app(app: Flask) -> None:
    if app.config["JOBS_MODE"] not in MODES:
        from compliance import ConfigurationError

        raise ConfigurationError(f"JOBS_MODE must be one of {', '.join(MODES)}")

    @app.teardown_appcontext
    def _dispatch(_exc: BaseException | None) -> None:
        # Registered after Flask-SQLAlchemy's, so it runs first (teardowns run in reverse):
        # the session holding the committed job ids is still there.
        dispatch_ready()
