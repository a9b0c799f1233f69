"""Running totals behind the operation report (compliance/tallies keeps them up to date)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from compliance.models.base import Base


class OperationTally(Base):
    """How many of an operation's submitted visits (in one area, or "" for the whole
    operation) count under a key such as "visits", "outcome:compliant" or "unmet:<item>"."""

    __tablename__ = "operation_tallies"

    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id"), primary_key=True)
    area: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class OperationPremises(Base):
    """How many of an operation's (or area's) submitted visits went to each premises, so the
    "premises visited" tally changes only when a premises' first visit arrives or its last
    one leaves."""

    __tablename__ = "operation_tally_premises"

    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id"), primary_key=True)
    area: Mapped[str] = mapped_column(String(100), primary_key=True)
    premises_id: Mapped[int] = mapped_column(ForeignKey("premises.id"), primary_key=True)
    visits: Mapped[int] = mapped_column(default=0)
