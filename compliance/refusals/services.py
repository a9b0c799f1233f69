"""The refusals register: refused sales recorded by staff and corrected only by new entries.
Weekly sign-off is refusals/signoff.py; UK time is refusals/clock.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import Integer, bindparam, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Premises, Refusal, Role, User
from compliance.models.base import utcnow
from compliance.paging import run_counted, window_counted
from compliance.refusals.clock import UK, uk_today

REASONS = {
    "no_id": "No ID",
    "id_not_acceptable": "ID not acceptable",
    "proxy": "Suspected proxy purchase",
    "behaviour": "Customer's behaviour",
    "other": "Other",
}
DEFAULT_MAX_DAYS_BACK = 90
# A refusal can be recorded a few minutes "early" if the till's clock and the phone's differ.
CLOCK_SLACK = timedelta(minutes=5)


class NotFound(Exception):
    pass


class NotPermitted(Exception):
    """The refuser is not someone who works at the premises, or the entry is elsewhere."""


class AlreadyCorrected(Exception):
    def __init__(self, newer: Refusal) -> None:
        super().__init__(newer.id)
        self.newer = newer


class TimeInFuture(Exception):
    """The refusal's time is later than now."""


class TimeBeforeJoining(Exception):
    """The refusal's time is before the premises joined the service."""

    def __init__(self, earliest: datetime) -> None:
        super().__init__(earliest)
        self.earliest = earliest


class TimeTooLongAgo(Exception):
    """The refusal's time is further back than the register accepts."""

    def __init__(self, earliest: datetime, days: int) -> None:
        super().__init__(earliest, days)
        self.earliest, self.days = earliest, days


def not_superseded():
    """Entries that no correction replaces: a correction and its original count once."""
    newer = aliased(Refusal)
    return ~select(newer.id).where(newer.corrects_id == Refusal.id).exists()


@dataclass(frozen=True)
class RefusalDetails:
    occurred_at: datetime  # aware
    product: str
    reason: str
    description: str | None
    refused_by_id: int


def refusers(premises: Premises) -> list[User]:
    """Who can be named as refusing: the premises' active staff and the business's managers."""
    return list(db.session.scalars(select(User).where(
        User.active, User.retailer_id == premises.retailer_id,
        or_(User.role == Role.MANAGER,
            (User.role == Role.STAFF) & (User.premises_id == premises.id)))
        .order_by(User.name)))


def get_refusal(refusal_id: int, premises_id: int) -> Refusal:
    refusal = db.session.get(Refusal, refusal_id)
    if refusal is None or refusal.premises_id != premises_id:
        raise NotFound
    return refusal


def correction_of(refusal_id: int) -> Refusal | None:
    return db.session.scalar(select(Refusal).where(Refusal.corrects_id == refusal_id)
                             .order_by(Refusal.id).limit(1))


def check_time(premises: Premises, when: datetime, *, max_days_back: int,
               corrects: Refusal | None = None, now: datetime | None = None) -> None:
    """Not in the future, not before the premises joined, not more than `max_days_back` days
    ago (a correction may keep the time of the entry it corrects)."""
    now = now or utcnow()
    if when > now + CLOCK_SLACK:
        raise TimeInFuture
    if when < premises.created_at.replace(second=0, microsecond=0):
        raise TimeBeforeJoining(premises.created_at)
    earliest = datetime.combine(uk_today(now) - timedelta(days=max_days_back), time(), UK)
    if corrects is not None:
        earliest = min(earliest, corrects.occurred_at)
    if when < earliest:
        raise TimeTooLongAgo(earliest, max_days_back)


def record(premises: Premises, details: RefusalDetails, actor: Actor, *,
           corrects: Refusal | None = None, correction_reason: str | None = None,
           max_days_back: int = DEFAULT_MAX_DAYS_BACK) -> Refusal:
    """Add an entry; with `corrects`, a new entry that replaces (never deletes) the old one."""
    refuser = next((u for u in refusers(premises) if u.id == details.refused_by_id), None)
    if refuser is None or details.reason not in REASONS:
        raise NotPermitted
    if corrects is not None:
        if corrects.premises_id != premises.id:
            raise NotPermitted
        if (newer := correction_of(corrects.id)) is not None:
            raise AlreadyCorrected(newer)
        if not (correction_reason or "").strip():
            raise ValueError("a correction needs a reason")
    check_time(premises, details.occurred_at, max_days_back=max_days_back, corrects=corrects)
    refusal = Refusal(premises_id=premises.id, occurred_at=details.occurred_at,
                      product=details.product.strip(), reason=details.reason,
                      description=(details.description or "").strip() or None,
                      refused_by_id=refuser.id, refused_by_name=refuser.name,
                      recorded_by_id=actor.user_id, recorded_at=utcnow(),
                      corrects_id=corrects.id if corrects is not None else None,
                      correction_reason=(correction_reason or "").strip() or None)
    db.session.add(refusal)
    db.session.flush()
    if corrects is not None:
        audit.record(actor, "refusal_corrected",
                     f"Corrected refusals register entry {corrects.id} with entry {refusal.id}: "
                     f"{refusal.correction_reason}",
                     target=refusal, details={"premises_id": premises.id,
                                              "corrects_id": corrects.id})
    else:
        audit.record(actor, "refusal_recorded",
                     f"Recorded refusals register entry {refusal.id} at {premises.name}",
                     target=refusal, details={"premises_id": premises.id})
    return refusal


@dataclass(frozen=True)
class Entry:
    refusal: Refusal
    corrected_by_id: int | None

    @property
    def corrected(self) -> bool:
        return self.corrected_by_id is not None


def _entries(refusals: list[Refusal]) -> list[Entry]:
    ids = [r.id for r in refusals]
    newer = dict(db.session.execute(_corrections_statement(),
                                    {"register_entries": ids}).all()) if ids else {}
    return [Entry(r, newer.get(r.id)) for r in refusals]


@lru_cache(maxsize=1)
def _corrections_statement():
    """Which of these entries a later entry corrects, and by which."""
    return (select(Refusal.corrects_id, Refusal.id)
            .where(Refusal.corrects_id.in_(bindparam("register_entries", expanding=True,
                                                     type_=Integer())))
            .order_by(Refusal.id.desc()))


def register_page(premises_id: int, page: int, per_page: int, *,
                  only_user_id: int | None = None):
    """One page of the register, newest first: (page, entries). Two queries: the entries
    with who recorded them and their total, then which of them were corrected."""
    found = run_counted(db.session, _register_statements(only_user_id is not None),
                        {"register_premises": premises_id, "register_user": only_user_id},
                        page, per_page)
    return found, _entries(list(found.items))


@lru_cache(maxsize=2)
def _register_statements(own_only: bool):
    """The register's page statements (all entries, or only those a person recorded or
    made), built once with the premises, the person and the page bound at each call."""
    stmt = (select(Refusal).where(
        Refusal.premises_id == bindparam("register_premises", type_=Integer()))
        .options(joinedload(Refusal.recorded_by))
        .order_by(Refusal.occurred_at.desc(), Refusal.id.desc()))
    if own_only:
        user = bindparam("register_user", type_=Integer())
        stmt = stmt.where(or_(Refusal.recorded_by_id == user, Refusal.refused_by_id == user))
    return window_counted(stmt)


def all_entries(premises_id: int) -> list[Entry]:
    """The whole register, oldest first, for the CSV and PDF downloads."""
    refusals = list(db.session.scalars(
        select(Refusal).where(Refusal.premises_id == premises_id)
        .options(selectinload(Refusal.recorded_by)).order_by(Refusal.occurred_at, Refusal.id)))
    return _entries(refusals)


