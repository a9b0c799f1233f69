"""Officer visits: findings, test purchases, history, follow-ups, and operations."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, event, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.models.base import Base, TimestampMixin, UTCDateTime, str200, utcnow

if TYPE_CHECKING:
    from compliance.models.assessments import ChecklistItem
    from compliance.models.retailers import Premises
    from compliance.models.users import Agency, User


class Operation(TimestampMixin, Base):
    """A week of action such as "Operation Sceptre, November 2026"."""

    __tablename__ = "operations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str200] = mapped_column(unique=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Visit(Base):
    """An engagement visit. A draft while recorded; after submission, edits need a reason."""

    __tablename__ = "visits"
    # The kinds in compliance/visits/flow.py (None until the details are recorded).
    __table_args__ = (CheckConstraint(
        "visit_type IN ('engagement', 'test_purchase', 'follow_up', 'verification')",
        name="visit_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    premises_id: Mapped[int] = mapped_column(ForeignKey("premises.id"), index=True)
    # The premises' business, copied on insert (premises never change business) so that a
    # business's visits, newest first, are one index range however many premises it has.
    retailer_id: Mapped[int | None] = mapped_column(ForeignKey("retailers.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("operations.id"), index=True)
    # Every form carries one: a retried or double-tapped submission never makes two visits.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    visited_at: Mapped[datetime | None] = mapped_column(index=True)
    officers_present: Mapped[str | None] = mapped_column(Text)
    visit_type: Mapped[str | None] = mapped_column(String(30))
    area: Mapped[str | None] = mapped_column(String(100))
    person_spoken_to: Mapped[str | None] = mapped_column(String(200))
    person_role: Mapped[str | None] = mapped_column(String(100))
    materials: Mapped[list[str]] = mapped_column(JSON, default=list)
    advice_given: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(30))
    officer_notes: Mapped[str | None] = mapped_column(Text)  # never shown to the shop
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None]
    lock_version: Mapped[int] = mapped_column(default=1)

    premises: Mapped[Premises] = relationship(lazy="raise")
    officer: Mapped[User] = relationship(lazy="raise", foreign_keys=[officer_id])
    agency: Mapped[Agency | None] = relationship(lazy="raise")
    operation: Mapped[Operation | None] = relationship(lazy="raise")
    findings: Mapped[list[VisitFinding]] = relationship(back_populates="visit", lazy="raise")
    test_purchases: Mapped[list[TestPurchase]] = relationship(back_populates="visit",
                                                              lazy="raise",
                                                              foreign_keys="TestPurchase.visit_id")
    follow_ups: Mapped[list[FollowUp]] = relationship(back_populates="visit", lazy="raise")

    __mapper_args__ = {"version_id_col": lock_version}


@event.listens_for(Visit, "before_insert")
def _copy_retailer(_mapper, _connection, row: Visit | FollowUp) -> None:
    """Every way a visit or follow-up is made (services, sync, factories) gets its premises'
    business, as a subquery inside the INSERT itself: no extra query."""
    if row.retailer_id is None:
        from compliance.models.retailers import Premises

        row.retailer_id = select(Premises.retailer_id).where(
            Premises.id == row.premises_id).scalar_subquery()


class VisitFinding(Base):
    """The officer's finding for one checklist item (the version shown at the visit)."""

    __tablename__ = "visit_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    checklist_item_id: Mapped[int] = mapped_column(ForeignKey("checklist_items.id"))
    answer: Mapped[str] = mapped_column(String(12))  # yes | partly | no | na | not_checked
    note: Mapped[str | None] = mapped_column(Text)

    visit: Mapped[Visit] = relationship(back_populates="findings", lazy="raise")
    item: Mapped[ChecklistItem] = relationship(lazy="raise")


class TestPurchase(Base):
    """A test purchase. A sale stays unresolved until a later pass or a follow-up visit."""

    __tablename__ = "test_purchases"
    __test__ = False  # not a pytest test class

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    premises_id: Mapped[int] = mapped_column(ForeignKey("premises.id"), index=True)
    volunteer_age: Mapped[int]
    item_attempted: Mapped[str200]
    id_asked: Mapped[bool]
    sold: Mapped[bool]
    staff_member: Mapped[str | None] = mapped_column(String(200))
    letter_sent: Mapped[bool] = mapped_column(default=False)
    resolved_at: Mapped[datetime | None]
    resolved_by_visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"))

    visit: Mapped[Visit] = relationship(back_populates="test_purchases", lazy="raise",
                                        foreign_keys=[visit_id])

    @property
    def unresolved_failure(self) -> bool:
        return self.sold and self.resolved_at is None


class VisitChange(Base):
    """An edit to a submitted visit: who, when, why and what changed."""

    __tablename__ = "visit_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)

    changed_by: Mapped[User] = relationship(lazy="raise")


class FollowUp(Base):
    """An action the officer asks of the shop: open, answered, returned or closed."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    premises_id: Mapped[int] = mapped_column(ForeignKey("premises.id"), index=True)
    # The premises' business, copied on insert as for Visit: the business's follow-ups page.
    retailer_id: Mapped[int | None] = mapped_column(ForeignKey("retailers.id"))
    # The visit's agency, copied on insert (a visit keeps the agency it was recorded for): an
    # officer's home reads their agency's answers waiting for review as a range of an index.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    action: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(index=True)
    evidence_wanted: Mapped[str | None] = mapped_column(Text)
    guidance_link: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    response_note: Mapped[str | None] = mapped_column(Text)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    responded_at: Mapped[datetime | None]
    officer_note: Mapped[str | None] = mapped_column(Text)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit: Mapped[Visit] = relationship(back_populates="follow_ups", lazy="raise")
    premises: Mapped[Premises] = relationship(lazy="raise")
    responded_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[responded_by_id])
    closed_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[closed_by_id])

    @property
    def is_open(self) -> bool:
        """Waiting for the shop: raised, or returned to them by the officer."""
        return follow_up_is_open(self.status)

    @property
    def is_overdue(self) -> bool:
        return follow_up_is_overdue(self.status, self.due_on)


def follow_up_is_open(status: str) -> bool:
    return status in ("open", "returned")


def follow_up_is_overdue(status: str, due_on: date) -> bool:
    """Still waiting for the shop after its due date (the model's and list rows' rule)."""
    return follow_up_is_open(status) and due_on < utcnow().date()


event.listen(FollowUp, "before_insert", _copy_retailer)


@event.listens_for(FollowUp, "before_insert")
def _copy_agency(_mapper, _connection, row: FollowUp) -> None:
    """Every way a follow-up is made gets its visit's agency, as a subquery inside the INSERT
    itself (no extra query)."""
    if row.agency_id is None:
        row.agency_id = select(Visit.agency_id).where(
            Visit.id == row.visit_id).scalar_subquery()
