"""Running one job from its outbox row: the same code in a worker and in-process.

Retries live in the outbox, not in Redis: a failure records the error and a time after which
the relay hands the job over again (backoff), and the last allowed failure marks it dead. So a
retry survives a Redis restart, and both modes retry the same way. RQ still records each
failed run (with its traceback) in its FailedJobRegistry, for `rq info` and RQ dashboards.

Each run has its own app context, so its own database session: a job's commit or rollback never
touches the request (or the test) around it, and the jobs it enqueues are dispatched when it ends.
"""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from compliance.extensions import db
from compliance.jobs import registry
from compliance.models import JobOutbox
from compliance.models.base import utcnow

log = logging.getLogger(__name__)


def max_attempts() -> int:
    return int(current_app.config["JOBS_MAX_ATTEMPTS"])


def backoff(attempt: int) -> int:
    """Seconds to wait before attempt number `attempt + 1`."""
    intervals = list(current_app.config["JOBS_RETRY_INTERVALS"]) or [0]
    return int(intervals[min(attempt - 1, len(intervals) - 1)])


def perform(outbox_id: int) -> str:
    """Run the job once. Raises the job's error (after recording it) so the queue can retry."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.app_context():
        return _perform(outbox_id)


def _perform(outbox_id: int) -> str:
    row = db.session.scalar(select(JobOutbox).where(JobOutbox.id == outbox_id)
                            .with_for_update())
    if row is None or row.finished_at is not None or row.dead_at is not None:
        db.session.rollback()
        return "skipped"
    attempt = row.attempts + 1
    row.attempts = attempt
    name, payload = row.name, dict(row.payload)
    try:
        registry.handler_for(name)(**payload)
        row.finished_at = utcnow()
        row.last_error = None
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        _record_failure(outbox_id, attempt, exc)
        raise
    return "finished"


def _record_failure(outbox_id: int, attempt: int, exc: BaseException) -> None:
    row = db.session.get_one(JobOutbox, outbox_id)
    row.attempts = attempt
    row.last_error = "".join(traceback.format_exception_only(exc)).strip()[-2000:]
    now = utcnow()
    if attempt >= max_attempts():
        row.dead_at = now
        log.error("Job %s (%s) failed %d times and is dead: %s", outbox_id, row.name, attempt,
                  row.last_error)
    else:  # the relay (cron, or a worker's sweep) hands it over again once due
        row.enqueued_at = None
        row.run_after = now + timedelta(seconds=backoff(attempt))
        log.warning("Job %s (%s) failed (attempt %d): %s", outbox_id, row.name, attempt,
                    row.last_error)
    db.session.commit()


def run_inline(outbox_id: int) -> str:
    """In-process mode: run now; a failure is recorded and left for the relay, never raised."""
    try:
        return perform(outbox_id)
    except Exception:  # noqa: BLE001 - recorded on the row; the page must not fail
        log.exception("Job %s failed in-process; the relay will try it again", outbox_id)
        return "failed"


def run_queued(outbox_id: int) -> str:
    """The function RQ calls in a worker (an app context is already pushed there)."""
    return perform(outbox_id)
