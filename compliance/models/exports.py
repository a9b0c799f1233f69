"""Prepared downloads: a file built by a background job for the person who asked for it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from compliance.models.base import Base, UTCDateTime, utcnow


class Export(Base):
    """One requested export (the refusals register as PDF, say). Preparing until `ready_at`;
    the job that builds it is `job_id` (dead there means it could not be built). Only the
    person who asked may see or download it, and only while they may still see what it is of.
    """

    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job_outbox.id", ondelete="SET NULL"))
    filename: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(60))
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    # The file under EXPORT_STORAGE_DIR (written a chunk at a time, so a 100 MB CSV never
    # sits in memory or in a database row).
    stored_name: Mapped[str | None] = mapped_column(String(100))
    ready_at: Mapped[datetime | None]
