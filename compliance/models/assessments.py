"""The premises self-assessment (versioned checklist, drafts, submissions) and refusals register."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.models.base import Base, TimestampMixin, UTCDateTime, str200, utcnow

if TYPE_CHECKING:
    from compliance.models.retailers import Premises
    from compliance.models.users import User

WEIGHT_POINTS = {"critical": 5, "high": 3, "medium": 2, "low": 1}


class ChecklistItem(TimestampMixin, Base):
    """One version of a checklist item (domain reference section (c)). Edits add versions."""

    __tablename__ = "checklist_items"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int]
    is_current: Mapped[bool] = mapped_column(default=True, index=True)
    number: Mapped[int]
    group_key: Mapped[str] = mapped_column(String(80))
    group_title: Mapped[str200]
    group_position: Mapped[int]
    question: Mapped[str] = mapped_column(Text)
    officer_check: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    how_to_fix: Mapped[str] = mapped_column(Text)
    weight: Mapped[str] = mapped_column(String(10))  # critical | high | medium | low
    applicability: Mapped[str] = mapped_column(String(30))  # always | online_or_phone | ...
    source_tags: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    # What the item rests on: law | voluntary_agreement | good_practice (shown to managers).
    basis: Mapped[str | None] = mapped_column(String(30))
    # Answered from the portal's own records rather than by hand: training | refusals | None
    automatic: Mapped[str | None] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def points(self) -> int:
        return WEIGHT_POINTS[self.weight]


class Assessment(Base):
    """A premises self-assessment: a draft while being answered, then kept unchanged."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    premises_id: Mapped[int] = mapped_column(ForeignKey("premises.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)  # draft|submitted
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    # The premises profile the assessment was made with (which items applied).
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    declaration_name: Mapped[str | None] = mapped_column(String(200))
    points_met: Mapped[float | None]
    points_applicable: Mapped[int | None]
    score_percent: Mapped[int | None]
    rating: Mapped[str | None] = mapped_column(String(10))  # green | amber | red
    next_due_at: Mapped[datetime | None]
    lock_version: Mapped[int] = mapped_column(default=1)

    premises: Mapped[Premises] = relationship(lazy="raise")
    answers: Mapped[list[AssessmentAnswer]] = relationship(back_populates="assessment",
                                                           lazy="raise")

    __mapper_args__ = {"version_id_col": lock_version}
    # One draft per premises, enforced by the database so two managers starting at the same
    # moment cannot make two.
    __table_args__ = (Index("uq_assessments_one_draft_per_premises", "premises_id", unique=True,
                            sqlite_where=text("status = 'draft'"),
                            postgresql_where=text("status = 'draft'")),)


class AssessmentAnswer(Base):
    __tablename__ = "assessment_answers"
    __table_args__ = (UniqueConstraint("assessment_id", "checklist_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    checklist_item_id: Mapped[int] = mapped_column(ForeignKey("checklist_items.id"))
    answer: Mapped[str] = mapped_column(String(10))  # yes | partly | no | na
    note: Mapped[str | None] = mapped_column(Text)
    automatic: Mapped[bool] = mapped_column(default=False)
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="answers", lazy="raise")
    item: Mapped[ChecklistItem] = relationship(lazy="raise")


class Refusal(Base):
    """A refused sale. Never deleted: a correction is a new entry pointing at the old one."""

    __tablename__ = "refusals"

    id: Mapped[int] = mapped_column(primary_key=True)
    premises_id: Mapped[int] = mapped_column(ForeignKey("premises.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    product: Mapped[str200]
    reason: Mapped[str] = mapped_column(String(30))  # no_id|id_not_acceptable|proxy|behaviour|other
    description: Mapped[str | None] = mapped_column(Text)
    refused_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    refused_by_name: Mapped[str200]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("refusals.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)  # why, when this corrects one

    premises: Mapped[Premises] = relationship(lazy="raise")
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id], lazy="raise")


class RefusalSignOff(Base):
    """A manager's weekly review of the register."""

    __tablename__ = "refusal_sign_offs"
    __table_args__ = (UniqueConstraint("premises_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    premises_id: Mapped[int] = mapped_column(ForeignKey("premises.id"), index=True)
    week_start: Mapped[date]
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    entries: Mapped[int]
    note: Mapped[str | None] = mapped_column(Text)

    signed_by: Mapped[User] = relationship(lazy="raise")
