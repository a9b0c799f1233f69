"""The visit-priority list: which shops an agency should visit next, and why.

Agency scope: an officer's list covers the premises their agency's officers have visited
(submitted visits), plus every premises nobody has visited yet. A shop that another agency
looks after stays off the list; a new or officer-added shop is on every agency's list until
someone visits it. Admins see every premises.

The ranking is one set-based SQL statement: per premises in scope, each reason is an indexed
look-up (EXISTS, or the newest row through a composite index), the score is summed in SQL,
and only the page asked for comes back, so the list costs the same few queries however
many shops there are (indexes: migrations/versions/0009_pages.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import joinedload

from compliance.areas import ListFilters, in_district
from compliance.extensions import db
from compliance.models import (
    Assessment,
    FollowUp,
    Premises,
    Refusal,
    Retailer,
    Role,
    TestPurchase,
    TrainingCompletion,
    User,
    VerificationRequest,
    Visit,
)
from compliance.models.base import utcnow
from compliance.paging import Page, offset, without_jit

REFUSAL_DAYS = 60

# How much each reason counts towards a shop's place in the list.
WEIGHTS = {"failed_test_purchase": 5, "assessment_red": 3, "assessment_overdue": 3,
           "overdue_follow_ups": 3, "never_visited": 2, "training_expired": 2,
           "no_refusals": 1, "verification_requested": 4}


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


def _scope_clause(user: User, filters: ListFilters, last_visit=None):
    """Which premises a user's list covers (see the module docstring), correlated to
    Premises: EXISTS look-ups on visits' (premises, agency, status) index, never NOT IN.
    `last_visit` (the premises' latest submitted visit, an indexed look-up) stands in for
    "nobody has visited", so the database never hashes every visit to find the unvisited."""
    submitted = select(Visit.id).where(Visit.premises_id == Premises.id,
                                       Visit.status == "submitted")
    clauses = []
    if user.role != Role.ADMIN:
        ours = submitted.where(Visit.agency_id == user.agency_id) if user.agency_id \
            else submitted.where(Visit.officer_id == user.id)
        unvisited = last_visit.is_(None) if last_visit is not None else ~submitted.exists()
        clauses.append(or_(ours.exists(), unvisited))
    if filters.agency_id:
        clauses.append(submitted.where(Visit.agency_id == filters.agency_id).exists())
    if filters.district:
        clauses.append(in_district(Premises.postcode, filters.district))
    return and_(true(), *clauses)


def _facts(user: User, now: datetime, filters: ListFilters):
    """One row per premises in scope with what each reason needs, each fact an indexed
    look-up for that premises (set-based: the database ranks, Python never sees the rest).
    The work grows with the premises in scope: an area filter makes it a few milliseconds;
    a whole country's list is the case for a maintained priority table (issue 15)."""
    here = Premises.id
    last_visit = (select(func.max(Visit.visited_at))
                  .where(Visit.premises_id == here, Visit.status == "submitted")
                  .scalar_subquery())
    # A LIMIT 1 look-up through the partial index of unresolved failures (usually empty),
    # which PostgreSQL cannot turn into a hash of every visit as it would an EXISTS.
    failed = (select(TestPurchase.id).join(Visit, TestPurchase.visit_id == Visit.id)
              .where(TestPurchase.premises_id == here, TestPurchase.sold.is_(True),
                     TestPurchase.resolved_at.is_(None), Visit.status == "submitted")
              .limit(1).scalar_subquery().is_not(None))
    latest = (select().where(Assessment.premises_id == here, Assessment.status == "submitted")
              .order_by(Assessment.submitted_at.desc(), Assessment.id.desc()).limit(1))
    rating = latest.add_columns(Assessment.rating).scalar_subquery()
    due = latest.add_columns(Assessment.next_due_at).scalar_subquery()
    newest_training = (select(func.max(TrainingCompletion.expires_at))
                       .where(TrainingCompletion.user_id == User.id).scalar_subquery())
    expired = (select(func.count(User.id))
               .where(User.premises_id == here, User.active.is_(True),
                      User.role == Role.STAFF, newest_training < now).scalar_subquery())
    refused = select(Refusal.id).where(
        Refusal.premises_id == here,
        Refusal.occurred_at >= now - timedelta(days=REFUSAL_DAYS)).exists()
    quiet = and_(Retailer.claimed.is_(True),
                 Premises.created_at < now - timedelta(days=REFUSAL_DAYS), ~refused)
    overdue = (select(func.count(FollowUp.id))
               .where(FollowUp.premises_id == here, FollowUp.status.in_(("open", "returned")),
                      FollowUp.due_on < now.date()).scalar_subquery())
    requested = (select(VerificationRequest.reason)
                 .where(VerificationRequest.premises_id == here,
                        VerificationRequest.resolved_at.is_(None)).limit(1).scalar_subquery())
    return (select(Premises.id.label("premises_id"), Premises.name.label("name"),
                   last_visit.label("last_visit"), case((failed, 1), else_=0).label("failed"),
                   rating.label("rating"), due.label("due"), expired.label("expired"),
                   case((quiet, 1), else_=0).label("quiet"), overdue.label("overdue"),
                   requested.label("requested"))
            .join(Retailer, Premises.retailer_id == Retailer.id)
            .where(_scope_clause(user, filters, last_visit))
            # Worked out once per premises, then ranked (without MATERIALIZED PostgreSQL
            # would run each look-up again for the filter, the sort and the columns).
            .cte("facts").prefix_with("MATERIALIZED", dialect="postgresql"))


def _score(f, now: datetime):
    def weight(key: str, condition):
        return case((condition, WEIGHTS[key]), else_=0)
    return (weight("failed_test_purchase", f.c.failed == 1)
            + weight("assessment_red", f.c.rating == "red")
            + weight("assessment_overdue", f.c.due < now)
            + weight("training_expired", f.c.expired > 0)
            + weight("no_refusals", f.c.quiet == 1)
            + weight("overdue_follow_ups", f.c.overdue > 0)
            + weight("never_visited", f.c.last_visit.is_(None))
            + weight("verification_requested", f.c.requested.is_not(None)))


def priority_page(user: User, page: int = 1, per_page: int = 20,
                  filters: ListFilters | None = None, now: datetime | None = None) -> Page:
    """A page of the shops with a reason to visit, the most pressing first.

    Three queries however many shops: the ranked page (with the total as a window count),
    its premises, and the count again only when the page is past the end."""
    now, filters = now or utcnow(), filters or ListFilters()
    without_jit(db.session)  # see paging.without_jit: 0.9 s of JIT for 0.07 s of work
    facts = _facts(user, now, filters)
    score = _score(facts, now).label("score")
    ranked = select(facts, score, func.count().over().label("total")).where(score > 0)
    rows = db.session.execute(
        ranked.order_by(score.desc(), facts.c.last_visit.is_not(None), facts.c.last_visit,
                        facts.c.name, facts.c.premises_id)
        .limit(per_page).offset(offset(page, per_page))).all()
    if rows:
        total = rows[0].total
    else:
        total = db.session.scalar(select(func.count()).select_from(
            select(facts.c.premises_id).where(score > 0).subquery())) if page > 1 else 0
    shops = {p.id: p for p in db.session.scalars(
        select(Premises).options(joinedload(Premises.retailer))
        .where(Premises.id.in_([r.premises_id for r in rows])))}
    items = [PriorityRow(shops[r.premises_id], _row_reasons(r, shops[r.premises_id], now),
                         _aware(r.last_visit)) for r in rows]
    return Page(items, page, per_page, total)


def priority_list(user: User, now: datetime | None = None,
                  filters: ListFilters | None = None, limit: int = 1000) -> list[PriorityRow]:
    """The first `limit` rows of the list (tests and small callers; pages use priority_page)."""
    return list(priority_page(user, 1, limit, filters, now).items)


def _aware(value):
    """SQLite hands back naive datetimes from a bare aggregate; they are UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _row_reasons(r, shop: Premises, now: datetime) -> list[Reason]:
    reasons = _reasons(shop, now, bool(r.failed), (r.rating, _aware(r.due)), r.expired or 0,
                       not r.quiet, r.overdue or 0, r.last_visit is not None)
    if r.requested is not None:
        reasons.append(Reason("verification_requested", _l(
            "Verification visit requested: %(reason)s", reason=r.requested)))
    return reasons


def _reasons(shop: Premises, now: datetime, failed: bool,
             assessment: tuple[str | None, datetime | None] | None, expired: int,
             refused: bool, overdue: int, visited: bool) -> list[Reason]:
    reasons = []
    if failed:
        reasons.append(Reason("failed_test_purchase", _l("Unresolved failed test purchase")))
    if assessment and assessment[0] == "red":
        reasons.append(Reason("assessment_red", _l("Self-assessment rated red")))
    if assessment and assessment[1] is not None and assessment[1] < now:
        reasons.append(Reason("assessment_overdue", _l("Self-assessment overdue")))
    if expired:
        reasons.append(Reason("training_expired", ngettext(
            "Staff training expired (%(num)s person)", "Staff training expired (%(num)s people)",
            expired)))
    # Only a registered shop keeps the register, once it has had 60 days to (worked out in
    # SQL: `refused` is False exactly when that reason applies).
    if not refused:
        reasons.append(Reason("no_refusals", _l("No refusals recorded for 60 days")))
    if overdue:
        reasons.append(Reason("overdue_follow_ups", ngettext(
            "%(num)s overdue follow-up", "%(num)s overdue follow-ups", overdue)))
    if not visited:
        reasons.append(Reason("never_visited", _l("Never visited")))
    return reasons
