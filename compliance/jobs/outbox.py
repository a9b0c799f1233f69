"""The outbox: a job row is written in the request's transaction and dispatched after commit.

`enqueue()` adds the row and notes its id on the session. A root commit marks the noted ids
ready; a rollback forgets them (their rows are gone too). `dispatch_ready()` runs at the end of
every app context (each request, CLI command and job), so a job is handed to the queue only
once the work it belongs to is committed. If that fails (Redis down), the row stays waiting and
`relay()` hands it over later: nothing committed is ever lost.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import event, inspect, or_, select, update
from sqlalchemy.orm import Session

from compliance.extensions import db
from compliance.jobs import registry
from compliance.models import JobOutbox
from compliance.models.base import utcnow

log = logging.getLogger(__name__)

PENDING = "jobs_pending"  # enqueued in the open transaction
READY = "jobs_ready"  # committed, not yet dispatched
MAX_ROUNDS = 10  # inline jobs that enqueue jobs: a bound on the chain


def enqueue(name: str, **payload: Any) -> JobOutbox:
    """Write job `name` into the current transaction; it runs after the caller commits.

    Not flushed here: many jobs from one request (an email per manager) go into the database
    in one multi-row INSERT with the rest of the work. Flush first if you need the row's id.
    """
    registry.handler_for(name)  # a typo fails here, in the request, not later in a worker
    row = JobOutbox(name=name, payload=payload, attempts=0)
    db.session.add(row)
    db.session.info.setdefault(PENDING, []).append(row)
    return row


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint: the outer transaction can still roll back
    rows = session.info.pop(PENDING, None)
    ids = [key[0] for key in (inspect(row).identity for row in rows or ()) if key]
    if ids:
        session.info.setdefault(READY, []).extend(ids)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(PENDING, None)


def dispatch_ready() -> int:
    """Hand over the jobs committed in this app context; never raises. Returns how many."""
    if not db.session.registry.has():
        return 0
    done = 0
    for _round in range(MAX_ROUNDS):
        ids = db.session.info.pop(READY, None)
        if not ids:
            break
        done += len(ids)
        # End whatever the caller's session has open since its commit: the jobs run in
        # sessions of their own and must not nest inside it (a shared connection in tests).
        db.session.rollback()
        _dispatch(ids)
    return done


def _dispatch(ids: list[int]) -> None:
    from compliance.jobs import queue, runner

    if current_app.config["JOBS_MODE"] == "inline":
        for outbox_id in ids:
            runner.run_inline(outbox_id)
        return
    # Marked before the push: a worker can finish (or fail and reset) the job at once.
    now = utcnow()
    db.session.execute(update(JobOutbox).where(JobOutbox.id.in_(ids)).values(enqueued_at=now))
    db.session.commit()
    try:
        queue.push(ids)
    except queue.QueueUnavailable as exc:  # left waiting: the relay hands them over later
        log.warning("Job queue unavailable, %d job(s) left for the relay: %s", len(ids), exc)
        db.session.execute(update(JobOutbox).where(JobOutbox.id.in_(ids),
                                                   JobOutbox.enqueued_at == now)
                           .values(enqueued_at=None))
        db.session.commit()


def due_ids(limit: int = 500) -> list[int]:
    """Live jobs never handed to the queue (or handed over so long ago they were lost)."""
    now = utcnow()
    stale = now - timedelta(minutes=float(current_app.config["JOBS_STALE_MINUTES"]))
    return list(db.session.scalars(select(JobOutbox.id).where(
        JobOutbox.finished_at.is_(None), JobOutbox.dead_at.is_(None),
        or_(JobOutbox.enqueued_at.is_(None), JobOutbox.enqueued_at < stale),
        or_(JobOutbox.run_after.is_(None), JobOutbox.run_after <= now))
        .order_by(JobOutbox.id).limit(limit)))


def relay(limit: int = 500) -> int:
    """Dispatch every due job again (cron, and the worker's sweep). Returns how many."""
    ids = due_ids(limit)
    db.session.commit()
    if ids:
        db.session.info.setdefault(READY, []).extend(ids)
        dispatch_ready()
    return len(ids)


def schedule_again(row: JobOutbox) -> None:
    """Bring a dead job back: it is dispatched after the caller commits."""
    row.dead_at = None
    row.attempts = 0
    row.enqueued_at = None
    row.run_after = None
    db.session.flush()
    db.session.info.setdefault(PENDING, []).append(row)
