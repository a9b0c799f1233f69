"""Certificates: rendered once at issue, stored with their hash, never edited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.models.base import Base, UTCDateTime, str200, utcnow
from compliance.models.jobs import JobOutbox


class Certificate(Base):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    # staff: training; statement: a business's own self-assessment statement; premises: a
    # premises certificate verified by an officer's visit.
    kind: Mapped[str] = mapped_column(String(10), index=True)
    holder_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    retailer_id: Mapped[int] = mapped_column(ForeignKey("retailers.id"), index=True)
    premises_id: Mapped[int | None] = mapped_column(ForeignKey("premises.id"), index=True)
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("training_completions.id"))
    # What was printed, kept as issued (names can change later; the certificate does not).
    holder_name: Mapped[str200]
    business_name: Mapped[str200]
    premises_name: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    # Empty until the background job has rendered and signed it (see compliance/jobs).
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    # The job that renders it: dead there (every attempt failed) means the PDF could not be
    # made, and the pages say so instead of "being prepared" for ever.
    render_job_id: Mapped[int | None] = mapped_column(
        ForeignKey("job_outbox.id", ondelete="SET NULL"))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    supersede_reason: Mapped[str | None] = mapped_column(Text)
    expired_marked_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    verifications: Mapped[int] = mapped_column(default=0)
    # A verified premises certificate: the officer's visit it rests on.
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), index=True)
    # The unmet conditions last seen (None: none), so each change of status is audited once.
    suspended_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def pdf_ready(self) -> bool:
        return self.sha256 is not None

    superseded_by: Mapped[Certificate | None] = relationship(remote_side=[id], lazy="raise")
    # Set at issue without a flush of its own: the job's row goes in with the request's others.
    render_job: Mapped[JobOutbox | None] = relationship(lazy="raise")


class VerificationRequest(Base):
    """A manager asks for an officer's verification visit; it shows on officers' priorities."""

    __tablename__ = "verification_requests"
    # One open request per premises, enforced by the database.
    __table_args__ = (Index("uq_verification_requests_one_open", "premises_id", unique=True,
                            sqlite_where=text("resolved_at IS NULL"),
                            postgresql_where=text("resolved_at IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    premises_id: Mapped[int] = mapped_column(ForeignKey("premises.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"))
