"""The visit-priority list: which shops an agency should visit next, and why.

Agency scope: an officer's list covers the premises their agency's officers have visited
(submitted visits), plus every premises nobody has visited yet. A shop that another agency
looks after stays off the list; a new or officer-added shop is on every agency's list until
someone visits it. Admins see every premises.

The list reads the maintained priority table (models/priorities.py: a narrow row of facts
per premises in each scope, kept in step by priorities/maintenance.py), never visits. Each
row's score is stored with the instant it may next change (priorities/scoring.py), so a page
is the top of an index; rows past that instant are scored live from their facts and `now`.
A page costs two queries however many shops and visits there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Date, Integer, String, and_, bindparam, func, or_, select, union_all

from compliance.areas import ListFilters
from compliance.extensions import db
from compliance.i18n import lazy_gettext as _l
from compliance.i18n import ngettext
from compliance.models import (
    FollowUp,
    Premises,
    PremisesPriority,
    Retailer,
    Role,
    TrainingCompletion,
    User,
    Visit,
)
from compliance.models.base import UTCDateTime, utcnow
from compliance.models.priorities import ALL_PREMISES
from compliance.paging import Page, offset
from compliance.priorities import maintenance, scoring

OPEN_FOLLOW_UPS = ("open", "returned")
REFUSAL_DAYS, WEIGHTS, WEIGHTS_ORDER = scoring.REFUSAL_DAYS, scoring.WEIGHTS, scoring.WEIGHTS_ORDER

P = PremisesPriority


@dataclass(frozen=True)
class Reason:
    key: str
    text: str

    @property
    def weight(self) -> int:
        return WEIGHTS[self.key]


@dataclass(frozen=True)
class Business:
    name: str
    claimed: bool


@dataclass(frozen=True)
class Shop:
    """What a list row shows of a premises and its business (plain columns: a page of 25
    premises and businesses as ORM objects cost more than the rest of the page's rows)."""

    id: int
    name: str
    address_line_1: str
    town: str
    postcode: str
    retailer: Business


@dataclass(frozen=True)
class PriorityRow:
    premises: Shop
    reasons: list[Reason]
    last_visit: datetime | None

    @property
    def score(self) -> int:
        return sum(r.weight for r in self.reasons)

    def has(self, key: str) -> bool:
        return any(r.key == key for r in self.reasons)


# The values a list's statements take, so each shape of statement is built once per process
# (`_statements`): building one (four selects, a union, their columns) cost more than running it.
AGENCY = bindparam("priority_agency", type_=Integer())
OFFICER = bindparam("priority_officer", type_=Integer())
FILTER_AGENCY = bindparam("priority_filter_agency", type_=Integer())
DISTRICT = bindparam("priority_district", type_=String())
DISTRICT_LIKE = bindparam("priority_district_like", type_=String())
PER_PART = bindparam("priority_per_part", type_=Integer())
LIMIT = bindparam("priority_limit", type_=Integer())
OFFSET = bindparam("priority_offset", type_=Integer())
COUNT_TO = bindparam("priority_count_to", type_=Integer())
TOTAL_CAP = 1000  # the list's total is exact up to this; past it, "more than 1,000 shops"


def _shape(user: User, filters: ListFilters) -> tuple[str, bool, bool]:
    """Which statements a user's list needs: whose rows (see the module docstring), and
    whether it is narrowed to an agency's shops or to a postcode district."""
    if user.role == Role.ADMIN:
        kind = "one agency" if filters.agency_id else "everyone"
    else:
        kind = "agency and never visited" if user.agency_id else "own and never visited"
    return kind, bool(filters.agency_id and user.role != Role.ADMIN), bool(filters.district)


def _values(user: User, filters: ListFilters) -> dict[str, object]:
    """The bound values of a user's list (those its shape does not use are ignored)."""
    return {"priority_agency": filters.agency_id if user.role == Role.ADMIN
            else user.agency_id,
            "priority_officer": user.id, "priority_filter_agency": filters.agency_id,
            "priority_district": filters.district,
            "priority_district_like": f"{filters.district} %"}


def _parts(kind: str, narrow_agency: bool, district: bool) -> list:
    """The rows a list reads, as disjoint conditions that are each one range of the rank
    index, visited and never-visited rows apart (see the module docstring)."""
    never = and_(P.scope_id == ALL_PREMISES, P.last_visit_at.is_(None))
    if kind == "everyone":
        parts = [never, and_(P.scope_id == ALL_PREMISES, P.last_visit_at.is_not(None))]
    elif kind == "one agency":
        parts = [P.scope_id == AGENCY]
    elif kind == "agency and never visited":
        parts = [P.scope_id == AGENCY, never]
    else:  # an officer of no agency: the premises they visited themselves
        mine = select(Visit.premises_id).where(Visit.officer_id == OFFICER,
                                               Visit.status == "submitted")
        parts = [never, and_(P.scope_id == ALL_PREMISES, P.premises_id.in_(mine))]
    narrowing = []
    if narrow_agency:
        narrowing.append(P.premises_id.in_(select(P.premises_id).where(
            P.scope_id == FILTER_AGENCY)))
    if district:  # as areas.in_district: 'EX1 1AA' is in EX1, never in EX11
        narrowing.append(P.premises_id.in_(select(Premises.id).where(
            or_(Premises.postcode.like(DISTRICT_LIKE), Premises.postcode == DISTRICT))))
    return [and_(part, *narrowing) for part in parts]


def _ranked(parts: list):
    """The scope's rows, each with the sort key it ranks by (minus its score): the stored
    one where it still holds, read in list order from the rank index and cut at PER_PART
    rows per part; worked out live for the rows whose rescore_at has passed (few when
    `priorities rescore` runs, and only they are scored here)."""
    selects = []
    for part in parts:
        selects.append(select(P).where(part, P.sort_key < 0, scoring.fresh())
                       .order_by(P.sort_key, P.last_visit_at, P.name, P.premises_id)
                       .limit(PER_PART))
    live = scoring.live_sort_key().label("sort_key")
    stale_columns = [live if c.key == "sort_key" else c for c in P.__table__.c]
    selects.append(select(*stale_columns).where(or_(*parts), scoring.stale()))
    subqueries = [s.subquery() for s in selects]
    return union_all(*(select(sq) for sq in subqueries)).subquery("ranked")


def _total(parts: list):
    """How many rows of the scope have a score above 0, counted to TOTAL_CAP and one more at
    most ("more than 1,000 shops"): those whose stored score holds, part by part from the
    rank index alone, and the stale ones by their live score. Counted in full, the largest
    agency's 5,600 shops were most of its list's time (1.9 of 2.1 ms); the country's 50,000,
    an admin's, far more."""
    def capped(rows):
        return select(func.count()).select_from(rows.limit(COUNT_TO).subquery()) \
            .scalar_subquery()

    counts = [capped(select(P.premises_id).where(part, P.sort_key < 0, scoring.fresh()))
              for part in parts]
    counts.append(capped(select(P.premises_id).where(or_(*parts), scoring.stale(),
                                                     scoring.live_sort_key() < 0)))
    return select(sum(counts[1:], start=counts[0]))


@lru_cache(maxsize=64)
def _statements(shape: tuple[str, bool, bool], counted: bool):
    """A shape's page statement (with the total as a column when `counted`) and its count."""
    parts = _parts(*shape)
    union = _ranked(parts)
    total_column = (_total(parts).scalar_subquery().label("total"),) if counted else ()
    page = (select(union, *total_column).where(union.c.sort_key < 0)
            .order_by(union.c.sort_key, union.c.last_visit_at.is_not(None),
                      union.c.last_visit_at, union.c.name, union.c.premises_id)
            .limit(LIMIT).offset(OFFSET))
    return page, _total(parts)


PAGE_PREMISES = bindparam("priority_page_premises", expanding=True, type_=Integer())
COUNTS_NOW = bindparam("priority_counts_now", type_=UTCDateTime())
COUNTS_TODAY = bindparam("priority_counts_today", type_=Date())


@lru_cache(maxsize=1)
def _shops_statement():
    """The page's premises (with their businesses) and the "N people" and "N follow-ups" of
    their reasons, worked out for those only; built once, the ids and the clock bound."""
    newest = (select(func.max(TrainingCompletion.expires_at))
              .where(TrainingCompletion.user_id == User.id).scalar_subquery())
    expired = (select(func.count(User.id))
               .where(User.premises_id == Premises.id, User.active.is_(True),
                      User.role == Role.STAFF, newest < COUNTS_NOW).scalar_subquery())
    overdue = (select(func.count(FollowUp.id))
               .where(FollowUp.premises_id == Premises.id, FollowUp.status.in_(OPEN_FOLLOW_UPS),
                      FollowUp.due_on < COUNTS_TODAY).scalar_subquery())
    return (select(Premises.id, Premises.name, Premises.address_line_1, Premises.town,
                   Premises.postcode, Retailer.name, Retailer.claimed, expired, overdue)
            .join(Retailer, Retailer.id == Premises.retailer_id)
            .where(Premises.id.in_(PAGE_PREMISES)))


def priority_page(user: User, page: int = 1, per_page: int = 20,
                  filters: ListFilters | None = None, now: datetime | None = None,
                  counted: bool = True) -> Page:
    """A page of the shops with a reason to visit, the most pressing first.

    Two queries however many shops (three when the page is past the end): the page, read
    from the top of the rank index (with the total when `counted`), then its premises with
    the counts its reasons show. `counted=False` (the top of the list, no pages): no count;
    the total is then the rows found."""
    maintenance.settle(db.session)  # this transaction's own changes, if it made any
    now, filters = now or utcnow(), filters or ListFilters()
    start = offset(page, per_page)
    statement, count = _statements(_shape(user, filters), counted)
    # One row more than the page: whether a next page exists when the total is capped.
    values = {**_values(user, filters), **scoring.clock(now), "priority_per_part":
              start + per_page + 1, "priority_limit": per_page + 1, "priority_offset": start,
              "priority_count_to": TOTAL_CAP + 1}
    found = db.session.execute(statement, values).all()
    rows, following = found[:per_page], len(found) > per_page
    if not rows:
        total = db.session.scalar(count, values) if page > 1 else 0
        return Page([], page, per_page, min(total, TOTAL_CAP), total > TOTAL_CAP)
    total = rows[0].total if counted else len(rows)
    shops = {row[0]: (Shop(*row[:5], Business(row[5], row[6])), row[7], row[8])
             for row in db.session.execute(_shops_statement(), {
                 "priority_page_premises": [r.premises_id for r in rows],
                 "priority_counts_now": now, "priority_counts_today": now.date()})}
    items = [PriorityRow(shops[r.premises_id][0],
                         _row_reasons(r, scoring.flags_of(_Facts(r), now),
                                      *shops[r.premises_id][1:]),
                         _aware(r.last_visit_at)) for r in rows]
    return Page(items, page, per_page, min(total, TOTAL_CAP), total > TOTAL_CAP, following)


class _Facts:
    """A ranked row's facts, SQLite's naive datetimes (read from a subquery) made UTC."""

    def __init__(self, row) -> None:
        self._row = row

    def __getattr__(self, name: str):
        value = getattr(self._row, name)
        return _aware(value) if isinstance(value, datetime) else value


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


def _row_reasons(r, flags: dict[str, bool], expired: int, overdue: int) -> list[Reason]:
    """A ranked row's reasons (scoring.flags_of its facts), with the page's counts."""
    reasons = []
    for key in WEIGHTS_ORDER:
        if not flags[key]:
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
