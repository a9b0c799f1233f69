"""What the admin page shows and does: jobs that need attention, and a retry."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, func, select

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.jobs.outbox import schedule_again
from compliance.models import JobOutbox


class NotDead(Exception):
    """Only a dead job can be retried by hand; a waiting one is retried on its own."""


def counts() -> dict[str, int]:
    """Jobs by state, in one aggregate query."""
    state = case((JobOutbox.finished_at.is_not(None), "finished"),
                 (JobOutbox.dead_at.is_not(None), "dead"),
                 (JobOutbox.enqueued_at.is_(None), "waiting"), else_="queued")
    found = dict(db.session.execute(select(state, func.count()).group_by(state)).all())
    return {s: int(found.get(s, 0)) for s in ("waiting", "queued", "dead", "finished")}


def dead_jobs() -> int:
    """How many jobs failed every attempt and wait for an administrator (the dead_at index)."""
    return db.session.scalar(select(func.count()).select_from(JobOutbox).where(
        JobOutbox.dead_at.is_not(None), JobOutbox.finished_at.is_(None))) or 0


def needing_attention(page: int, per_page: int) -> Pagination:
    """Dead jobs first, then the unfinished ones, newest first."""
    return db.paginate(select(JobOutbox).where(JobOutbox.finished_at.is_(None)).order_by(
        JobOutbox.dead_at.is_(None), JobOutbox.id.desc()), page=page, per_page=per_page,
        error_out=False)


def retry(job: JobOutbox, actor: Actor) -> None:
    if job.dead_at is None or job.finished_at is not None:
        raise NotDead
    audit.record(actor, "job_retried", f"Retried background job {job.id} ({job.name}) after "
                 f"{job.attempts} failed attempts", target=job,
                 details={"last_error": (job.last_error or "")[:500]})
    schedule_again(job)
