"""Visits: starting one (idempotently), loading, submitting, and the rule other features
ask about: does a shop have an unresolved failed test purchase?

Saving a section of a visit, as a draft or as an edit with a reason, is in editing.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from compliance import audit
from compliance.audit import Actor
from compliance.certificates.status import record_changes
from compliance.extensions import db
from compliance.followups.mail import FollowUpMail, send_raised
from compliance.models import (
    Operation,
    Premises,
    TestPurchase,
    Visit,
    VisitChange,
    VisitFinding,
)
from compliance.models.base import utcnow
from compliance.visits import flow
from compliance.visits.timezone import uk_time


class VisitError(Exception):
    """A visit cannot be saved as asked."""


class VisitConflict(VisitError):
    """Someone else saved the visit after this form was loaded."""


class ReasonRequired(VisitError):
    """A submitted visit changes only with a reason."""


class OutsideOperation(VisitError):
    """The visit's date falls outside the operation it is assigned to."""

    def __init__(self, operation: Operation) -> None:
        super().__init__(operation.name)
        self.operation = operation


class KeyInUse(VisitError):
    """The idempotency key belongs to another officer's visit."""


class VisitIncomplete(VisitError):
    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


@dataclass(frozen=True)
class VisitDetails:
    visited_at: datetime
    visit_type: str
    officers_present: str | None = None
    operation_id: int | None = None
    area: str | None = None
    person_spoken_to: str | None = None
    person_role: str | None = None


@dataclass(frozen=True)
class VisitOutcome:
    outcome: str
    materials: list[str]
    advice_given: str | None = None
    officer_notes: str | None = None


@dataclass(frozen=True)
class PurchaseAttempt:
    """What happened when a young volunteer tried to buy a bladed item."""

    volunteer_age: int
    item_attempted: str
    id_asked: bool
    sold: bool
    staff_member: str | None = None
    letter_sent: bool = False


@dataclass(frozen=True)
class Edit:
    """The lock version the form was loaded with, and (once submitted) why it changes."""

    lock_version: int
    reason: str | None = None


# --- the shared rule: unresolved failed test purchases ---------------------------------------


def unresolved_failures():
    """The premises ids of sales to a volunteer not yet resolved, from submitted visits (a
    statement to narrow: the verify page's conditions correlate it with each premises)."""
    return (select(TestPurchase.premises_id).join(Visit, TestPurchase.visit_id == Visit.id)
            .where(TestPurchase.sold.is_(True), TestPurchase.resolved_at.is_(None),
                   Visit.status == "submitted"))


def has_unresolved_failed_test_purchase(premises_id: int) -> bool:
    """True from a submitted sale to a volunteer until a later pass or follow-up visit."""
    stmt = unresolved_failures().where(TestPurchase.premises_id == premises_id).limit(1)
    return db.session.scalar(stmt) is not None


def premises_with_unresolved_failed_test_purchase(premises_ids: Iterable[int]) -> set[int]:
    """The bulk form of has_unresolved_failed_test_purchase, in one query."""
    ids = list(premises_ids)
    if not ids:
        return set()
    return set(db.session.scalars(
        unresolved_failures().where(TestPurchase.premises_id.in_(ids)).distinct()))


# --- loading ---------------------------------------------------------------------------------


def load_visit(visit_id: int) -> Visit | None:
    """A visit with everything its pages show, in a fixed number of queries."""
    return db.session.scalar(select(Visit).where(Visit.id == visit_id).options(
        joinedload(Visit.premises).joinedload(Premises.retailer),
        joinedload(Visit.officer), joinedload(Visit.agency), joinedload(Visit.operation),
        selectinload(Visit.findings).joinedload(VisitFinding.item),
        selectinload(Visit.test_purchases), selectinload(Visit.follow_ups)))


def visit_by_key(key: str) -> Visit | None:
    return db.session.scalar(select(Visit).where(Visit.idempotency_key == key))


def visit_history(visit_id: int) -> list[VisitChange]:
    return list(db.session.scalars(
        select(VisitChange).options(joinedload(VisitChange.changed_by))
        .where(VisitChange.visit_id == visit_id).order_by(VisitChange.changed_at.desc(),
                                                          VisitChange.id.desc())))


# --- starting and saving ---------------------------------------------------------------------


def start_visit(premises: Premises, details: VisitDetails, key: str,
                actor: Actor) -> tuple[Visit, bool]:
    """A new draft visit; the same key again (a retry, a double tap) returns the first one."""
    existing = visit_by_key(key)
    if existing is None:
        check_operation_dates(details)
        visit = Visit(premises_id=premises.id, officer_id=actor.user_id,
                      agency_id=actor.user.agency_id if actor.user else None,
                      idempotency_key=key, status="draft", materials=[],
                      **detail_values(details))
        try:
            with db.session.begin_nested():
                db.session.add(visit)
        except IntegrityError:
            existing = visit_by_key(key)  # a request with the same key finished first
        else:
            audit.record(actor, "visit_started", f"Started a visit to {premises.name}",
                         target=visit, details={"premises_id": premises.id})
            return visit, True
    if existing is None or existing.officer_id != actor.user_id:
        raise KeyInUse
    return existing, False


def flush_visit() -> None:
    """Flush, turning the ORM's lost-update check into the visit's own conflict error."""
    try:
        db.session.flush()
    except StaleDataError as exc:  # another request updated the row since we read it
        raise VisitConflict from exc


# --- submission ------------------------------------------------------------------------------


def missing_sections(visit: Visit) -> list[str]:
    """What must be recorded before the visit can be submitted (the kind's rule, flow.py)."""
    return flow.missing(visit)


def submit_visit(visit: Visit, lock_version: int, actor: Actor, *,
                 mail: FollowUpMail | None) -> bool:
    """Submit a draft; submitting again does nothing (False).

    The shop's managers see the visit's follow-ups from now on, so this is when they are
    emailed about the ones raised while it was a draft (with no `mail`, nobody is).
    """
    if visit.status == "submitted":
        return False
    if lock_version != visit.lock_version:
        raise VisitConflict
    if missing := missing_sections(visit):
        raise VisitIncomplete(missing)
    visit.status, visit.submitted_at = "submitted", utcnow()
    visit.updated_at = visit.submitted_at
    audit.record(actor, "visit_submitted", f"Submitted a visit to premises {visit.premises_id}",
                 target=visit, details={"outcome": visit.outcome})
    for purchase in visit.test_purchases:
        if purchase.sold:
            audit.record(actor, "test_purchase_failed",
                         f"Failed test purchase at premises {visit.premises_id}",
                         target=purchase, details={"premises_id": visit.premises_id,
                                                   "visit_id": visit.id})
    flush_visit()
    clear_earlier_failures(visit, actor)
    record_changes([visit.premises_id], actor)  # a failed (or cleared) test purchase
    if mail is not None:
        send_raised(mail, db.session.get_one(Premises, visit.premises_id),
                    [f for f in visit.follow_ups if f.is_open])
    return True


def clear_earlier_failures(visit: Visit, actor: Actor) -> list[TestPurchase]:
    """A later passed test purchase, or a follow-up visit, resolves earlier failures."""
    purchases = visit.test_purchases
    if any(p.sold for p in purchases):
        return []
    if not purchases and visit.visit_type != "follow_up":
        return []
    earlier = list(db.session.scalars(
        select(TestPurchase).join(Visit, TestPurchase.visit_id == Visit.id).where(
            TestPurchase.premises_id == visit.premises_id, TestPurchase.sold.is_(True),
            TestPurchase.resolved_at.is_(None), Visit.status == "submitted",
            or_(Visit.visited_at < visit.visited_at,  # same minute: recorded first is earlier
                and_(Visit.visited_at == visit.visited_at, Visit.id < visit.id)))))
    for purchase in earlier:
        purchase.resolved_at, purchase.resolved_by_visit_id = utcnow(), visit.id
        audit.record(actor, "test_purchase_cleared",
                     f"Failed test purchase at premises {visit.premises_id} cleared by "
                     f"visit {visit.id}", target=purchase,
                     details={"premises_id": visit.premises_id, "visit_id": visit.id})
    db.session.flush()
    return earlier


# --- helpers ---------------------------------------------------------------------------------


def check_operation_dates(details: VisitDetails) -> None:
    """A visit counts in an operation's report only if it happened during the operation."""
    if not details.operation_id or details.visited_at is None:
        return
    operation = db.session.get(Operation, details.operation_id)
    day = uk_time(details.visited_at).date()  # type: ignore[union-attr]
    if operation is not None and not operation.starts_on <= day <= operation.ends_on:
        raise OutsideOperation(operation)


def detail_values(details: VisitDetails) -> dict[str, Any]:
    return {"visited_at": details.visited_at, "visit_type": details.visit_type,
            "officers_present": clean_text(details.officers_present),
            "operation_id": details.operation_id or None, "area": clean_text(details.area),
            "person_spoken_to": clean_text(details.person_spoken_to),
            "person_role": clean_text(details.person_role)}


def clean_text(value: str | None) -> str | None:
    """Trimmed text, or None when nothing was typed."""
    return (value or "").strip() or None
