"""An officer's to-dos: visits to finish, answered follow-ups to review, the top of their
priority list and the operation running today (a fixed number of queries)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.i18n import ngettext
from compliance.models import FollowUp, Operation, User, Visit
from compliance.models.base import utcnow
from compliance.paging import Page, capped_page
from compliance.priorities.services import priority_list
from compliance.todo.items import DUE, INFO, OVERDUE, TODO, ToDo, day

TOP_PRIORITIES = 5
REVIEWS_SHOWN = 10  # answered follow-ups listed on the home page, longest waiting first
REVIEWS_COUNTED = 100  # ...and the others counted this far ("more than 100")


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


def answered_follow_ups(user: User, shown: int, counted: int) -> Page:
    """The answered follow-ups this officer reviews, longest waiting first: the first `shown`
    and how many in all, counted up to `counted` (one statement, a range of
    ix_follow_ups_answered). An agency of a tenth of the country had 303 waiting, every one a
    to-do on the home page (179 KB, 80 ms)."""
    return capped_page(
        db.session, select(FollowUp).join(Visit, FollowUp.visit_id == Visit.id)
        .where(FollowUp.status == "answered", reviewable(user))
        .order_by(FollowUp.responded_at, FollowUp.id), FollowUp.id, 1, shown, counted,
        options=(joinedload(FollowUp.premises),))


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
    answers = answered_follow_ups(user, REVIEWS_SHOWN, REVIEWS_COUNTED)
    for f in answers.items:
        result.append(ToDo("follow-up-review", _("Review the answer from %(shop)s",
                                                 shop=f.premises.name),
                           f.action, url_for("followups.follow_up", follow_up_id=f.id),
                           DUE, group, cause_key=review_cause(f)))
    if answers.has_next:
        more = answers.total - len(answers.items)
        result.append(ToDo(
            "follow-up-reviews-waiting",
            _("More than %(num)s other answers wait for review", num=more) if answers.capped
            else ngettext("%(num)s other answer waits for review",
                          "%(num)s other answers wait for review", more),
            _("The longest waiting are above; each one you review makes room for the next."),
            url_for("visits.dashboard"), INFO, group))
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
