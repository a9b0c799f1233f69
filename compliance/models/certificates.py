"""Certificates: rendered once at issue, stored with their hash, never edited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.models.base import Base, UTCDateTime, str200, utcnow


class Certificate(Base):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)  # staff | premises
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
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    supersede_reason: Mapped[str | None] = mapped_column(Text)
    expired_marked_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    verifications: Mapped[int] = mapped_column(default=0)

    superseded_by: Mapped[Certificate | None] = relationship(remote_side=[id], lazy="raise")
