"""A shop's priority score: its reasons to visit, weighed, worked out from its stored facts.

The same rules twice, kept equal by a test over generated facts (tests/unit/test_priority_scoring):
- in SQL on the priority table's columns at a given clock (`conditions`, `live_sort_key`), for
  rows whose stored score may have gone stale;
- in Python on a row of facts (`flags_of`, `score_of`), to store each row's score with the
  instant it may next change (`rescore_at`: a self-assessment falling due, training expiring,
  60 days without a refusal, a follow-up's due date passing).

The score is stored negated (`sort_key`), so the list's whole order is one ascending index.
Storing it lets the list read the top of an index instead of scoring every shop in an
agency's scope on every page (issue 15: 7.7 ms against 0.3 ms for the largest agency). A row
whose `rescore_at` has passed is scored live by the list until `flask --app compliance
priorities rescore` (cron, every few minutes) stores its new score, so the list is right
whether or not that has run; it is only faster when it has.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from sqlalchemy import Connection, Date, and_, bindparam, case, or_, select, update

from compliance.models.base import UTCDateTime, utcnow
from compliance.models.priorities import ALL_PREMISES
from compliance.models.priorities import PremisesPriority as P

REFUSAL_DAYS = 60
CHUNK = 2000

# How much each reason counts towards a shop's place in the list.
WEIGHTS = {"failed_test_purchase": 5, "assessment_red": 3, "assessment_overdue": 3,
           "overdue_follow_ups": 3, "never_visited": 2, "training_expired": 2,
           "no_refusals": 1, "verification_requested": 4}

# The order a row's reasons are listed in.
WEIGHTS_ORDER = ("failed_test_purchase", "assessment_red", "assessment_overdue",
                 "training_expired", "no_refusals", "overdue_follow_ups", "never_visited",
                 "verification_requested")

# The clock as bound parameters, so the SQL rules are built once per process, not per page.
NOW = bindparam("priority_now", type_=UTCDateTime())
CUTOFF = bindparam("priority_cutoff", type_=UTCDateTime())
TODAY = bindparam("priority_today", type_=Date())


def clock(now: datetime) -> dict[str, object]:
    """The values of NOW, CUTOFF and TODAY for a list worked out at `now`."""
    return {"priority_now": now, "priority_cutoff": now - timedelta(days=REFUSAL_DAYS),
            "priority_today": now.date()}


def conditions() -> dict[str, object]:
    """Each reason as a condition on the stored facts, in the order reasons show."""
    return {
        "failed_test_purchase": P.unresolved_failure.is_(True),
        "assessment_red": P.rating == "red",
        "assessment_overdue": P.next_due_at < NOW,
        "training_expired": P.training_expires_at < NOW,
        # Only a registered shop keeps the register, once it has had 60 days to.
        "no_refusals": and_(P.claimed.is_(True), P.created_at < CUTOFF,
                            or_(P.last_refusal_at.is_(None), P.last_refusal_at < CUTOFF)),
        "overdue_follow_ups": P.follow_up_due_on < TODAY,
        "never_visited": P.last_visit_at.is_(None),
        "verification_requested": P.verification_reason.is_not(None),
    }


@cache
def live_sort_key():
    """Minus the score, worked out in SQL from a row's facts at the bound clock (the stored
    `sort_key` is the same number, stored: ascending order is most pressing first)."""
    flags = [case((condition, -WEIGHTS[key]), else_=0) for key, condition in conditions().items()]
    return sum(flags[1:], start=flags[0])


def stale():
    """Rows whose stored score may no longer hold at the bound clock."""
    return P.rescore_at <= NOW


def fresh():
    return or_(P.rescore_at.is_(None), P.rescore_at > NOW)


def flags_of(row, now: datetime) -> dict[str, bool]:
    """Each reason, in Python, on anything with the priority table's fact attributes."""
    cutoff, today = now - timedelta(days=REFUSAL_DAYS), now.date()
    return {
        "failed_test_purchase": row.unresolved_failure is True,
        "assessment_red": row.rating == "red",
        "assessment_overdue": row.next_due_at is not None and row.next_due_at < now,
        "training_expired": row.training_expires_at is not None
        and row.training_expires_at < now,
        "no_refusals": row.claimed is True and row.created_at < cutoff
        and (row.last_refusal_at is None or row.last_refusal_at < cutoff),
        "overdue_follow_ups": row.follow_up_due_on is not None and row.follow_up_due_on < today,
        "never_visited": row.last_visit_at is None,
        "verification_requested": row.verification_reason is not None,
    }


def score_of(row, now: datetime) -> int:
    return sum(WEIGHTS[key] for key, on in flags_of(row, now).items() if on)


def _day_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


def rescore_at(row, now: datetime) -> datetime | None:
    """The first instant after `now` at which one of the clock's conditions may change: the
    stored score holds until then (earlier is harmless: the list scores the row live)."""
    grace = timedelta(days=REFUSAL_DAYS)
    candidates = [row.next_due_at, row.training_expires_at,
                  row.created_at + grace if row.claimed else None,
                  row.last_refusal_at + grace if row.last_refusal_at is not None else None,
                  _day_after(row.follow_up_due_on) if row.follow_up_due_on is not None
                  else None]
    future = [c for c in candidates if c is not None and c >= now]
    return min(future) if future else None


FACTS = (P.premises_id, P.unresolved_failure, P.rating, P.next_due_at, P.training_expires_at,
         P.claimed, P.created_at, P.last_refusal_at, P.follow_up_due_on, P.last_visit_at,
         P.verification_reason)


def rescore(connection: Connection, premises_ids: Iterable[int] | None = None,
            now: datetime | None = None, only_stale: bool = False) -> int:
    """Store the score and rescore_at of these premises' rows (every scope; the facts are the
    same in each), or of every premises, or of those whose rescore_at has passed. Returns how
    many premises were scored. In chunks, a premises at a time in premises order."""
    now = now or utcnow()
    base = select(*FACTS).where(P.scope_id == ALL_PREMISES).order_by(P.premises_id)
    if only_stale:
        # The sweep skips a premises whose rows a change is refreshing (that change stores a
        # fresh score itself): waiting for it could close a circle of locks (a deadlock)
        # with a transaction that refreshes another premises the sweep has already locked.
        # A change locks a premises' every-premises row (scope 0) first, so holding that
        # row, the sweep never waits on the premises' other rows.
        base = base.where(P.rescore_at <= now).with_for_update(of=P, skip_locked=True)
    statement = (update(P).where(P.premises_id == bindparam("pid"))
                 .values(sort_key=bindparam("new_key"), rescore_at=bindparam("new_rescore_at")))
    ids = sorted(set(premises_ids)) if premises_ids is not None else None
    done, after = 0, 0
    while True:
        if ids is not None:
            chunk_ids = ids[done:done + CHUNK]
            if not chunk_ids:
                break
            rows = connection.execute(base.where(P.premises_id.in_(chunk_ids))).all()
            done += len(chunk_ids)
        else:
            rows = connection.execute(base.where(P.premises_id > after).limit(CHUNK)).all()
            if not rows:
                break
            after = rows[-1].premises_id
            done += len(rows)
        if rows:
            connection.execute(statement, [
                {"pid": r.premises_id, "new_key": -score_of(r, now),
                 "new_rescore_at": rescore_at(r, now)} for r in rows])
    return done
