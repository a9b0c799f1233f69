"""Signing off the refusals register: a manager reviews each Monday-to-Sunday week (UK time)
once, recording how many entries it held; the register page shows the recent weeks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import Date, Integer, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Premises, Refusal, RefusalSignOff
from compliance.models.base import UTCDateTime, utcnow
from compliance.refusals.clock import monday_of, to_uk, uk_today, week_bounds
from compliance.refusals.services import not_superseded

WEEKS_SHOWN = 12


class AlreadySignedOff(Exception):
    pass


class InvalidWeek(Exception):
    """Not a Monday, or a week that has not started yet."""


def sign_offs(premises_id: int, since: date | None = None) -> dict[date, RefusalSignOff]:
    stmt = (select(RefusalSignOff).where(RefusalSignOff.premises_id == premises_id)
            .options(joinedload(RefusalSignOff.signed_by)))
    if since is not None:
        stmt = stmt.where(RefusalSignOff.week_start >= since)
    return {s.week_start: s for s in db.session.scalars(stmt)}


def count_in_week(premises_id: int, start: date) -> int:
    begin, end = week_bounds(start)
    return db.session.scalar(select(func.count(Refusal.id)).where(
        Refusal.premises_id == premises_id, Refusal.occurred_at >= begin,
        Refusal.occurred_at < end, not_superseded())) or 0


@dataclass(frozen=True)
class Week:
    start: date
    entries: int
    sign_off: RefusalSignOff | None
    current: bool

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


def weeks(premises: Premises, today: date | None = None) -> list[Week]:
    """Recent weeks, newest first, with entry counts and sign-offs (two or three queries):
    from the week of the first entry or of registration, at most WEEKS_SHOWN weeks."""
    current = monday_of(today or uk_today())
    window = current - timedelta(weeks=WEEKS_SHOWN - 1)
    start = max(monday_of(to_uk(premises.created_at).date()), window)
    statements = _weeks_statements()
    if start > window:  # registered within the window: an earlier entry may start it sooner
        first = db.session.scalar(statements["first"], {"weeks_premises": premises.id})
        if first is not None:
            start = max(min(start, monday_of(to_uk(first).date())), window)
    counts: dict[date, int] = {}
    for when in db.session.scalars(statements["entries"], {
            "weeks_premises": premises.id, "weeks_from": week_bounds(start)[0]}):
        week = monday_of(to_uk(when).date())
        counts[week] = counts.get(week, 0) + 1
    signed = {s.week_start: s for s in db.session.scalars(statements["sign-offs"], {
        "weeks_premises": premises.id, "weeks_since": start})}
    count = (current - start).days // 7 + 1
    return [Week(day, counts.get(day, 0), signed.get(day), day == current)
            for day in (current - timedelta(weeks=n) for n in range(count))]


@lru_cache(maxsize=1)
def _weeks_statements() -> dict:
    """The weeks' statements, built once with the premises and the dates bound at each call."""
    premises = bindparam("weeks_premises", type_=Integer())
    return {
        "first": select(func.min(Refusal.occurred_at)).where(Refusal.premises_id == premises),
        "entries": select(Refusal.occurred_at).where(
            Refusal.premises_id == premises,
            Refusal.occurred_at >= bindparam("weeks_from", type_=UTCDateTime()),
            not_superseded()),
        "sign-offs": select(RefusalSignOff).where(
            RefusalSignOff.premises_id == premises,
            RefusalSignOff.week_start >= bindparam("weeks_since", type_=Date()))
        .options(joinedload(RefusalSignOff.signed_by)),
    }


def sign_off_week(premises: Premises, start: date, note: str | None, actor: Actor,
                  today: date | None = None) -> RefusalSignOff:
    """A manager's review of one past or current week, once."""
    if start.weekday() != 0 or start > monday_of(today or uk_today()):
        raise InvalidWeek
    sign_off = RefusalSignOff(premises_id=premises.id, week_start=start,
                              signed_by_id=actor.user_id, signed_at=utcnow(),
                              entries=count_in_week(premises.id, start),
                              note=(note or "").strip() or None)
    try:
        # The unique (premises, week) constraint decides: a double submit or two managers at
        # once get AlreadySignedOff, and the rest of the transaction is kept.
        with db.session.begin_nested():
            db.session.add(sign_off)
    except IntegrityError as exc:
        raise AlreadySignedOff from exc
    audit.record(actor, "refusals_week_signed_off",
                 f"Signed off the refusals register of {premises.name} for the week of "
                 f"{start.isoformat()}", target=sign_off,
                 details={"premises_id": premises.id, "entries": sign_off.entries})
    return sign_off


def sign_off_weeks(premises: Premises, starts: list[date], note: str | None, actor: Actor,
                   today: date | None = None) -> tuple[list[RefusalSignOff], list[date]]:
    """Sign off several weeks, each as its own record: (signed now, already signed)."""
    signed, already = [], []
    for start in sorted(set(starts)):
        try:
            signed.append(sign_off_week(premises, start, note, actor, today=today))
        except AlreadySignedOff:
            already.append(start)
    return signed, already


def week_entries(premises_id: int, starts: list[date]) -> dict[date, list[Refusal]]:
    """The entries a sign-off covers (corrected ones replaced by their corrections), oldest
    first, for each of the given weeks: one query for the refusals, one for who recorded."""
    result: dict[date, list[Refusal]] = {start: [] for start in starts}
    if not starts:
        return result
    begin, end = week_bounds(min(starts))[0], week_bounds(max(starts))[1]
    for refusal in db.session.scalars(
            select(Refusal).where(Refusal.premises_id == premises_id,
                                  Refusal.occurred_at >= begin, Refusal.occurred_at < end,
                                  not_superseded())
            .options(selectinload(Refusal.recorded_by))
            .order_by(Refusal.occurred_at, Refusal.id)):
        week = monday_of(to_uk(refusal.occurred_at).date())
        if week in result:
            result[week].append(refusal)
    return result
