"""The maintained priority table: each premises' facts, so the priority list reads a narrow
table through an index instead of working over visits (issue 15).

Rows hold facts, and the score the facts gave when they were stored with the instant it may
next change (`rescore_at`); the list trusts a score only before that instant and works out the
rest from the facts and `now`, so nothing goes stale overnight. The rows are kept
in step by compliance/priorities/maintenance.py in the same transaction as each change.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from compliance.models.base import Base

ALL_PREMISES = 0  # the scope of every premises: admins' list, and the never-visited


class PremisesPriority(Base):
    """A premises' facts, once in the scope of every premises (scope_id 0) and once more in
    the scope of each agency whose officers have submitted a visit there (scope_id: the
    agency's id). An agency's list is then one index range of this table, facts included,
    rather than a look-up per premises (measured at national scale: 14 ms against 80 ms)."""

    __tablename__ = "premises_priority"

    scope_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    premises_id: Mapped[int] = mapped_column(
        ForeignKey("premises.id", ondelete="CASCADE"), primary_key=True, autoincrement=False,
        index=True)
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
    # Minus the score the facts gave when they were stored (priorities/scoring.py), so the
    # list's order is one ascending index; and the first instant that may change it (a date
    # passing), after which the list scores the row live.
    sort_key: Mapped[int] = mapped_column(server_default="0")
    rescore_at: Mapped[datetime | None]

    __table_args__ = (
        # Never-visited premises are on every agency's list: found without reading the rest.
        Index("ix_premises_priority_never_visited", "premises_id",
              postgresql_where=text("scope_id = 0 AND last_visit_at IS NULL"),
              sqlite_where=text("scope_id = 0 AND last_visit_at IS NULL")),
        # A scope's rows in list order (visited and never-visited rows are read apart, so
        # last_visit_at needs no NULLS FIRST): a page is the top of this index, and with
        # rescore_at in it too the list's total is counted from the index alone.
        Index("ix_premises_priority_rank", "scope_id", "sort_key", "last_visit_at", "name",
              "premises_id", "rescore_at"),
        # The rows whose stored score may be out of date, soonest first.
        Index("ix_premises_priority_rescore_at", "scope_id", "rescore_at"),
    )
