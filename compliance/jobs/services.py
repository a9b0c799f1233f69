"""What the admin page shows and does: jobs that need attention, and a retry."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.jobs.outbox import schedule_again
from compliance.models import JobOutbox
from compliance.paging import Page, capped_page


class NotDead(Exception):
    """Only a dead job can be retried by hand; a waiting one is retried on its own."""


# Jobs not finished: waiting or queued (the partial index ix_job_outbox_waiting), or dead
# (ix_job_outbox_dead_at). Finished jobs, every email and PDF ever, are never read here: with
# a million of them the page counted and sorted them all (230 ms).
LIVE = and_(JobOutbox.finished_at.is_(None), JobOutbox.dead_at.is_(None))
DEAD = and_(JobOutbox.dead_at.is_not(None), JobOutbox.finished_at.is_(None))


def counts() -> dict[str, int]:
    """Jobs not finished, by state, in one statement of three indexed counts."""
    def count(*where):
        return select(func.count()).select_from(JobOutbox).where(*where).scalar_subquery()

    waiting, queued, dead = db.session.execute(select(
        count(LIVE, JobOutbox.enqueued_at.is_(None)),
        count(LIVE, JobOutbox.enqueued_at.is_not(None)), count(DEAD))).one()
    return {"waiting": waiting, "queued": queued, "dead": dead}


def dead_jobs() -> int:
    """How many jobs failed every attempt and wait for an administrator (the dead_at index)."""
    return db.session.scalar(select(func.count()).select_from(JobOutbox).where(DEAD)) or 0


def needing_attention(page: int, per_page: int, cap: int) -> Page:
    """Dead jobs first, then the unfinished ones, newest first (one statement)."""
    return capped_page(db.session, select(JobOutbox).where(or_(DEAD, LIVE)).order_by(
        JobOutbox.dead_at.is_(None), JobOutbox.id.desc()), JobOutbox.id, page, per_page, cap)


def retry(job: JobOutbox, actor: Actor) -> None:
    if job.dead_at is None or job.finished_at is not None:
        raise NotDead
    audit.record(actor, "job_retried", f"Retried background job {job.id} ({job.name}) after "
                 f"{job.attempts} failed attempts", target=job,
                 details={"last_error": (job.last_error or "")[:500]})
    schedule_again(job)
