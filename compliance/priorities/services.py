"""The visit-priority list: which shops an agency should visit next, and why.

Agency scope: an officer's list covers the premises their agency's officers have visited
(submitted visits), plus every premises nobody has visited yet. A shop that another agency
looks after stays off the list; a new or officer-added shop is on every agency's list until
someone visits it. Admins see every premises.

The list reads the maintained priority table (models/priorities.py: a narrow row of facts
per premises in each scope, kept in step by priorities/maintenance.py), never visits: the
score is worked out from the stored facts and `now` in the one ranked query, so a page costs
two queries however many shops and visits there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import Date, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import joinedload

from compliance.areas import ListFilters, in_district
from compliance.extensions import db
from compliance.i18n import lazy_gettext as _l
from compliance.i18n import ngettext
from compliance.models import (
    FollowUp,
    Premises,
    PremisesPriority,
    Role,
    TrainingCompletion,
    User,
    Visit,
)
from compliance.models.base import UTCDateTime, utcnow
from compliance.models.priorities import ALL_PREMISES
from compliance.paging import Page, offset

REFUSAL_DAYS = 60
OPEN_FOLLOW_UPS = ("open", "returned")

# How much each reason counts towards a shop's place in the list.
WEIGHTS = {"failed_test_purchase": 5, "assessment_red": 3, "assessment_overdue": 3,
           "overdue_follow_ups": 3, "never_visited": 2, "training_expired": 2,
           "no_refusals": 1, "verification_requested": 4}

# The order a row's reasons are listed in.
WEIGHTS_ORDER = ("failed_test_purchase", "assessment_red", "assessment_overdue",
                 "training_expired", "no_refusals", "overdue_follow_ups", "never_visited",
                 "verification_requested")

P = PremisesPriority


@dataclass(frozen=True)
class Reason:
    key: str
    text: str

    @property
    def weight(self) -> int:
        return WEIGHTS[self.key]


@dataclass(frozen=True)
class PriorityRow:
    premises: Premises
    reasons: list[Reason]
    last_visit: datetime | None

    @property
    def score(self) -> int:
        return sum(r.weight for r in self.reasons)

    def has(self, key: str) -> bool:
        return any(r.key == key for r in self.reasons)


def _scope(user: User, filters: ListFilters):
    """Which rows of the priority table a user's list reads (see the module docstring): an
    agency's own scope and the never-visited premises (a partial index); for admins every
    premises, or an agency's scope when they filter by agency."""
    clauses = []
    if user.role == Role.ADMIN:
        clauses.append(P.scope_id == (filters.agency_id or ALL_PREMISES))
    elif user.agency_id:
        clauses.append(or_(P.scope_id == user.agency_id,
                           and_(P.scope_id == ALL_PREMISES, P.last_visit_at.is_(None))))
    else:  # an officer of no agency: the premises they visited themselves
        mine = select(Visit.premises_id).where(Visit.officer_id == user.id,
                                               Visit.status == "submitted")
        clauses.append(and_(P.scope_id == ALL_PREMISES,
                            or_(P.last_visit_at.is_(None), P.premises_id.in_(mine))))
    if filters.agency_id and user.role != Role.ADMIN:
        clauses.append(P.premises_id.in_(select(P.premises_id).where(
            P.scope_id == filters.agency_id)))
    if filters.district:
        clauses.append(P.premises_id.in_(
            select(Premises.id).where(in_district(Premises.postcode, filters.district))))
    return and_(*clauses)


# The clock as bound parameters, so the reasons and the score are built once per process
# (`_flags()`), not as a fresh expression for every page: the statement's shape never changes.
NOW = bindparam("priority_now", type_=UTCDateTime())
CUTOFF = bindparam("priority_cutoff", type_=UTCDateTime())
TODAY = bindparam("priority_today", type_=Date())


def _clock(now: datetime) -> dict[str, object]:
    """The values of NOW, CUTOFF and TODAY for a list worked out at `now`."""
    return {"priority_now": now, "priority_cutoff": now - timedelta(days=REFUSAL_DAYS),
            "priority_today": now.date()}


def _conditions() -> dict[str, object]:
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
def _flags():
    """Each reason as a 0/1 column, and the score that sums their weights."""
    flags = {key: case((condition, 1), else_=0) for key, condition in _conditions().items()}
    score = sum((flag * WEIGHTS[key] for key, flag in flags.items()), start=0)
    return tuple(flag.label(key) for key, flag in flags.items()), score.label("score")


def _counts(now: datetime):
    """The "N people" and "N follow-ups" of the page's rows (worked out for those only)."""
    newest = (select(func.max(TrainingCompletion.expires_at))
              .where(TrainingCompletion.user_id == User.id).scalar_subquery())
    expired = (select(func.count(User.id))
               .where(User.premises_id == Premises.id, User.active.is_(True),
                      User.role == Role.STAFF, newest < now).scalar_subquery())
    overdue = (select(func.count(FollowUp.id))
               .where(FollowUp.premises_id == Premises.id, FollowUp.status.in_(OPEN_FOLLOW_UPS),
                      FollowUp.due_on < now.date()).scalar_subquery())
    return expired, overdue


def priority_page(user: User, page: int = 1, per_page: int = 20,
                  filters: ListFilters | None = None, now: datetime | None = None,
                  counted: bool = True) -> Page:
    """A page of the shops with a reason to visit, the most pressing first.

    Two queries however many shops (three when the page is past the end): the ranked page
    of the priority table with the total as a window count, then its premises with the
    counts its reasons show. `counted=False` (the top of the list, no pages): no window
    count, which is most of the ranking's time for a large agency; the total is then the
    rows found."""
    now, filters = now or utcnow(), filters or ListFilters()
    flags, score = _flags()
    clock = _clock(now)
    scoped = select(P, *flags, score).where(_scope(user, filters)).subquery()
    total_column = (func.count().over().label("total"),) if counted else ()
    ranked = (select(scoped, *total_column).where(scoped.c.score > 0)
              .order_by(scoped.c.score.desc(), scoped.c.last_visit_at.is_not(None),
                        scoped.c.last_visit_at, scoped.c.name, scoped.c.premises_id))
    rows = db.session.execute(ranked.limit(per_page).offset(offset(page, per_page)),
                              clock).all()
    if rows:
        total = rows[0].total if counted else len(rows)
    else:
        total = db.session.scalar(select(func.count()).select_from(
            select(scoped.c.premises_id).where(scoped.c.score > 0).subquery()), clock) \
            if page > 1 else 0
    if not rows:
        return Page([], page, per_page, total)
    expired, overdue = _counts(now)
    shops = {shop.id: (shop, people, late) for shop, people, late in db.session.execute(
        select(Premises, expired, overdue).options(joinedload(Premises.retailer))
        .where(Premises.id.in_([r.premises_id for r in rows])))}
    items = [PriorityRow(shops[r.premises_id][0], _row_reasons(r, *shops[r.premises_id][1:]),
                         _aware(r.last_visit_at)) for r in rows]
    return Page(items, page, per_page, total)


def priority_list(user: User, now: datetime | None = None,
                  filters: ListFilters | None = None, limit: int = 1000) -> list[PriorityRow]:
    """The first `limit` rows of the list (the dashboards, tests; pages use priority_page)."""
    return list(priority_page(user, 1, limit, filters, now, counted=False).items)


def _aware(value):
    """SQLite hands back naive datetimes from a subquery's column; they are UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


TEXTS = {"failed_test_purchase": _l("Unresolved failed test purchase"),
         "assessment_red": _l("Self-assessment rated red"),
         "assessment_overdue": _l("Self-assessment overdue"),
         "no_refusals": _l("No refusals recorded for 60 days"),
         "never_visited": _l("Never visited")}


def _row_reasons(r, expired: int, overdue: int) -> list[Reason]:
    """A ranked row's reasons (its flags, worked out in SQL), with the page's counts."""
    reasons = []
    for key in WEIGHTS_ORDER:
        if not getattr(r, key):
            continue
        if key == "training_expired":
            text = ngettext("Staff training expired (%(num)s person)",
                            "Staff training expired (%(num)s people)", expired)
        elif key == "overdue_follow_ups":
            text = ngettext("%(num)s overdue follow-up", "%(num)s overdue follow-ups", overdue)
        elif key == "verification_requested":
            text = _l("Verification visit requested: %(reason)s", reason=r.verification_reason)
        else:
            text = TEXTS[key]
        reasons.append(Reason(key, text))
    return reasons
