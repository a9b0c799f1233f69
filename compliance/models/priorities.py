"""The maintained priority table: each premises' facts, so the priority list reads a narrow
table through indexes instead of working over visits (issue 15).

Rows hold facts, never verdicts that depend on the clock ("overdue", "expired"): the list
compares them with `now` when it is read, so nothing goes stale overnight. The rows are kept
in step by compliance/priorities/maintenance.py in the same transaction as each change.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from compliance.models.base import Base


class PremisesPriority(Base):
    """One row per premises: what each reason on the priority list needs."""

    __tablename__ = "premises_priority"

    premises_id: Mapped[int] = mapped_column(
        ForeignKey("premises.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))  # the list's tie-break order
    last_visit_at: Mapped[datetime | None]  # latest submitted visit; None: never visited
    unresolved_failure: Mapped[bool]  # a failed test purchase on a submitted visit, unresolved
    rating: Mapped[str | None] = mapped_column(String(10))  # latest submitted self-assessment
    next_due_at: Mapped[datetime | None]  # ... and when the next one is due
    # The earliest of active staff's newest training expiry: someone's has lapsed once now
    # passes it (staff who never trained do not count, as before).
    training_expires_at: Mapped[datetime | None]
    claimed: Mapped[bool]  # the business registered: only then does it keep a register
    created_at: Mapped[datetime]  # the premises' own, for the register's 60 days of grace
    last_refusal_at: Mapped[datetime | None]
    follow_up_due_on: Mapped[date | None] = mapped_column(Date)  # earliest open/returned
    verification_reason: Mapped[str | None] = mapped_column(Text)  # an open request's reason

    __table_args__ = (
        # Never-visited premises are on every agency's list: found without reading the rest.
        Index("ix_premises_priority_never_visited", "premises_id",
              postgresql_where=text("last_visit_at IS NULL"),
              sqlite_where=text("last_visit_at IS NULL")),
    )


class PremisesAgency(Base):
    """An agency whose officers have submitted a visit to the premises (its list's scope)."""

    __tablename__ = "premises_agencies"

    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True)
    premises_id: Mapped[int] = mapped_column(
        ForeignKey("premises.id", ondelete="CASCADE"), primary_key=True, index=True)
