"""An officer's to-dos: visits to finish, answered follow-ups to review, the top of their
priority list and the operation running today (a fixed number of queries)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.models import FollowUp, Operation, User, Visit
from compliance.models.base import utcnow
from compliance.priorities.services import priority_list
from compliance.todo.items import DUE, INFO, OVERDUE, TODO, ToDo, day

TOP_PRIORITIES = 5


def review_cause(follow_up: FollowUp) -> str:
    """Once per answer: a returned follow-up answered again is a new cause."""
    answered = follow_up.responded_at.strftime("%Y%m%d%H%M%S") if follow_up.responded_at else ""
    return f"follow-up-review:{follow_up.id}:{answered}"


def reviewable(user: User):
    """Visits whose follow-ups this officer reviews: theirs, and their agency's submitted ones."""
    mine = Visit.officer_id == user.id
    if user.agency_id is None:
        return mine
    return or_(mine, (Visit.status == "submitted") & (Visit.agency_id == user.agency_id))


def answered_follow_ups(user: User) -> list[FollowUp]:
    return list(db.session.scalars(
        select(FollowUp).join(Visit, FollowUp.visit_id == Visit.id)
        .options(joinedload(FollowUp.premises))
        .where(FollowUp.status == "answered", reviewable(user))
        .order_by(FollowUp.responded_at, FollowUp.id)))


def items(user: User) -> list[ToDo]:
    result: list[ToDo] = []
    drafts = db.session.scalars(select(Visit).options(joinedload(Visit.premises)).where(
        Visit.officer_id == user.id, Visit.status == "draft").order_by(Visit.created_at))
    group = _("Your visits")
    for visit in drafts:
        shop = visit.premises.name
        result.append(ToDo("draft-visit", _("Finish the visit to %(shop)s", shop=shop),
                           _("Started %(day)s; not submitted yet.", day=day(visit.created_at)),
                           url_for("visits.detail", visit_id=visit.id), DUE, group))
    group = _("Follow-ups to review")
    for f in answered_follow_ups(user):
        result.append(ToDo("follow-up-review", _("Review the answer from %(shop)s",
                                                 shop=f.premises.name),
                           f.action, url_for("followups.follow_up", follow_up_id=f.id),
                           DUE, group, cause_key=review_cause(f)))
    group = _("Priorities in your area")
    for row in priority_list(user, limit=TOP_PRIORITIES):
        result.append(ToDo("priority", row.premises.name,
                           "; ".join(str(r.text) for r in row.reasons),
                           url_for("shops.premises_page", premises_id=row.premises.id),
                           OVERDUE if row.score >= 5 else TODO, group))
    today = utcnow().date()
    running = list(db.session.scalars(select(Operation).where(
        Operation.starts_on <= today, Operation.ends_on >= today).order_by(Operation.starts_on)))
    for op in running:
        result.append(ToDo("operation", _("Operation running: %(name)s", name=op.name),
                           _("%(start)s to %(end)s.", start=day(op.starts_on), end=day(op.ends_on)),
                           url_for("operations.operation_report", operation_id=op.id), INFO,
                           _("Operations"), op.ends_on))
    return result
