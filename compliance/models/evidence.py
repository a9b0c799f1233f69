"""Evidence files (photos, PDFs) stored once by SHA-256, and what each is evidence for."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from compliance.models.users import User

# The only types kept: sniffed from the bytes, never taken from the name or the browser.
EVIDENCE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "image/heif",
                  "application/pdf")


class EvidenceFile(Base):
    """One stored file's bytes, named by their SHA-256: the same photo twice is kept once."""

    __tablename__ = "evidence_files"
    __table_args__ = (
        CheckConstraint("content_type IN ('image/jpeg', 'image/png', 'image/webp', "
                        "'image/heic', 'image/heif', 'application/pdf')", name="type"),
        CheckConstraint("size > 0", name="size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EvidenceLink(Base):
    """A file attached to a follow-up (by the shop) or to a checklist item of a visit (by the
    officer), under the name it was uploaded with."""

    __tablename__ = "evidence_links"
    __table_args__ = (
        CheckConstraint("(follow_up_id IS NULL) <> (visit_id IS NULL)", name="one_target"),
        CheckConstraint("(visit_id IS NULL) = (item_key IS NULL)", name="item_with_visit"),
        UniqueConstraint("follow_up_id", "evidence_file_id",
                         name="uq_evidence_links_follow_up_file"),
        UniqueConstraint("visit_id", "item_key", "evidence_file_id",
                         name="uq_evidence_links_visit_item_file"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_file_id: Mapped[int] = mapped_column(ForeignKey("evidence_files.id"), index=True)
    follow_up_id: Mapped[int | None] = mapped_column(ForeignKey("follow_ups.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), index=True)
    # A checklist item's key (stable across versions of the item).
    item_key: Mapped[str | None] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(String(200))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    file: Mapped[EvidenceFile] = relationship(lazy="joined")
    added_by: Mapped[User | None] = relationship(lazy="raise")
