"""The job outbox: a background job is a row written in the same transaction as the work."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import JSON, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from compliance.models.base import Base, UTCDateTime, utcnow


class JobOutbox(Base):
    """One background job. Written by the request, dispatched after commit, run by a worker.

    Waiting: finished_at and dead_at are empty. enqueued_at is empty until the queue took it
    (Redis down: the relay tries again). dead_at is set after the last failed attempt.
    """

    __tablename__ = "job_outbox"
    __table_args__ = (
        # The relay's question: which live jobs were never handed to the queue?
        Index("ix_job_outbox_waiting", "enqueued_at", sqlite_where=text(
            "finished_at IS NULL AND dead_at IS NULL"), postgresql_where=text(
            "finished_at IS NULL AND dead_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A unique client-side value: it lets SQLAlchemy write many jobs of one request in a
    # single INSERT ... RETURNING on SQLite too (an "insert sentinel"), so a page that emails
    # every manager runs the same number of queries however many there are.
    key: Mapped[str] = mapped_column(String(32), unique=True, insert_sentinel=True,
                                     default=lambda: uuid4().hex)
    name: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    enqueued_at: Mapped[datetime | None]
    # Not before this time (backoff after a failure when jobs run in-process).
    run_after: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None]
    dead_at: Mapped[datetime | None] = mapped_column(index=True)
