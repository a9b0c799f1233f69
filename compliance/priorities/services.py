"""The visit-priority list: which shops an agency should visit next, and why.

Agency scope: an officer's list covers the premises their agency's officers have visited
(submitted visits), plus every premises nobody has visited yet. A shop that another agency
looks after stays off the list; a new or officer-added shop is on every agency's list until
someone visits it. Admins see every premises.

Each reason is one grouped query over that scope, so the list costs the same number of
queries however many shops there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from compliance.extensions import db
from compliance.followups import services as followups
from compliance.models import (
    Assessment,
    Premises,
    Refusal,
    Role,
    TrainingCompletion,
    User,
    Visit,
)
from compliance.models.base import utcnow
from compliance.verification.services import open_requests_in
from compliance.visits.services import unresolved_failures_in

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


def premises_scope(user: User):
    """The ids of the premises on a user's list (a subquery; see the module docstring)."""
    stmt = select(Premises.id)
    if user.role == Role.ADMIN:
        return stmt
    # EXISTS and NOT EXISTS, not IN and NOT IN: indexed look-ups per shop rather than a scan
    # of every submitted visit.
    visits = select(Visit.id).where(Visit.premises_id == Premises.id, Visit.status == "submitted")
    ours = visits.where(Visit.agency_id == user.agency_id) if user.agency_id \
        else visits.where(Visit.officer_id == user.id)
    # The scope stands alone (never correlated into the query that uses it).
    return stmt.where(or_(ours.exists(), ~visits.exists())).correlate(None)


def priority_list(user: User, now: datetime | None = None) -> list[PriorityRow]:
    """Shops with at least one reason to visit, the most pressing first (eight queries)."""
    now = now or utcnow()
    scope = premises_scope(user)
    premises = db.session.scalars(select(Premises).options(
        joinedload(Premises.retailer)).where(Premises.id.in_(scope))).all()
    last_visits = {premises_id: at for premises_id, at in db.session.execute(
        select(Visit.premises_id, func.max(Visit.visited_at))
        .where(Visit.status == "submitted", Visit.premises_id.in_(scope))
        .group_by(Visit.premises_id))}
    failed = unresolved_failures_in(scope)
    assessments = _assessments(scope)
    expired = _expired_training(scope, now)
    refused = set(db.session.scalars(select(Refusal.premises_id).where(
        Refusal.premises_id.in_(scope),
        Refusal.occurred_at >= now - timedelta(days=REFUSAL_DAYS)).distinct()))
    overdue = followups.overdue_counts(scope)
    requested = open_requests_in(scope)
    rows = []
    for shop in premises:
        reasons = _reasons(shop, now, shop.id in failed, assessments.get(shop.id),
                           expired.get(shop.id, 0), shop.id in refused,
                           overdue.get(shop.id, 0), shop.id in last_visits)
        if shop.id in requested:
            reasons.append(Reason("verification_requested", _l(
                "Verification visit requested: %(reason)s", reason=requested[shop.id])))
        if reasons:
            rows.append(PriorityRow(shop, reasons, last_visits.get(shop.id)))
    rows.sort(key=lambda r: (-r.score, r.last_visit is not None,
                             r.last_visit or now, r.premises.name))
    return rows


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
    # Only a registered shop can keep the register, and only after it has had 60 days to.
    settled = shop.created_at < now - timedelta(days=REFUSAL_DAYS)
    if shop.retailer.claimed and settled and not refused:
        reasons.append(Reason("no_refusals", _l("No refusals recorded for 60 days")))
    if overdue:
        reasons.append(Reason("overdue_follow_ups", ngettext(
            "%(num)s overdue follow-up", "%(num)s overdue follow-ups", overdue)))
    if not visited:
        reasons.append(Reason("never_visited", _l("Never visited")))
    return reasons


def _assessments(scope) -> dict[int, tuple[str | None, datetime | None]]:
    """Each shop's latest submitted self-assessment: (rating, next due)."""
    latest = (select(Assessment.premises_id, func.max(Assessment.submitted_at).label("at"))
              .where(Assessment.status == "submitted", Assessment.premises_id.in_(scope))
              .group_by(Assessment.premises_id).subquery())
    rows = db.session.execute(
        select(Assessment.premises_id, Assessment.rating, Assessment.next_due_at)
        .join(latest, and_(Assessment.premises_id == latest.c.premises_id,
                           Assessment.submitted_at == latest.c.at)))
    return {premises_id: (rating, due) for premises_id, rating, due in rows}


def _expired_training(scope, now: datetime) -> dict[int, int]:
    """Active staff per shop whose latest training has expired."""
    latest = (select(TrainingCompletion.user_id,
                     func.max(TrainingCompletion.expires_at).label("expires"))
              .group_by(TrainingCompletion.user_id).subquery())
    rows = db.session.execute(
        select(User.premises_id, func.count(User.id))
        .join(latest, latest.c.user_id == User.id)
        .where(User.premises_id.in_(scope), User.active.is_(True), User.role == Role.STAFF,
               latest.c.expires < now)
        .group_by(User.premises_id))
    return {premises_id: count for premises_id, count in rows}
