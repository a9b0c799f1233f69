"""An officer's to-dos: visits to finish, answered follow-ups to review, the top of their
priority list and the operation running today (a fixed number of queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache

from flask import url_for
from sqlalchemy import Integer, bindparam, func, select, union_all
from sqlalchemy.orm import joinedload

from compliance.extensions import db
from compliance.followups import services as followups
from compliance.i18n import gettext as _
from compliance.i18n import ngettext
from compliance.models import FollowUp, Operation, Premises, User, Visit
from compliance.models.base import utcnow
from compliance.paging import Page, counted_rows, with_counts
from compliance.plan_constants import with_fixed_words
from compliance.priorities.services import priority_list
from compliance.todo.items import DUE, INFO, OVERDUE, TODO, ToDo, day

TOP_PRIORITIES = 5
REVIEWS_SHOWN = 10  # answered follow-ups listed on the home page, longest waiting first
REVIEWS_COUNTED = 100  # ...and the others counted this far ("more than 100")


def review_cause(follow_up: FollowUp | Answer) -> str:
    """Once per answer: a returned follow-up answered again is a new cause."""
    answered = follow_up.responded_at.strftime("%Y%m%d%H%M%S") if follow_up.responded_at else ""
    return f"follow-up-review:{follow_up.id}:{answered}"


@dataclass(frozen=True)
class Answer:
    """An answered follow-up waiting for review: what its to-do shows."""

    id: int
    action: str
    responded_at: datetime | None
    shop: str


OFFICER = bindparam("review_officer", type_=Integer())
AGENCY = bindparam("review_agency", type_=Integer())
SHOWN = bindparam("review_shown", type_=Integer())
COUNTED = bindparam("review_counted", type_=Integer())
OUTSIDE = bindparam("review_outside", expanding=True, type_=Integer())


def _waiting_parts(with_agency: bool, outside: str) -> list:
    """The answered follow-ups an officer reviews, those of their own visits and of their
    agency's submitted visits, as disjoint parts, each read in waiting order: the agency's
    (a range of ix_follow_ups_agency_answered; a follow-up carries its visit's agency), and
    those of the officer's own visits outside it (followups.visits_outside_agency): by
    visit when they were listed ("listed"), through the officer's visits when there were
    too many to list ("joined"), or none ("none")."""
    answered = select(FollowUp.id, FollowUp.responded_at).where(FollowUp.status == "answered")
    if not with_agency:
        return [answered.join(Visit, FollowUp.visit_id == Visit.id)
                .where(Visit.officer_id == OFFICER)]
    agency_part, own = followups.agency_and_own(answered, outside, OFFICER, AGENCY, OUTSIDE)
    return [agency_part] if own is None else [agency_part, own]


@lru_cache(maxsize=4)
def _waiting_statement(with_agency: bool, outside: str):
    """The page of answers and their count, capped, as one statement (built once a shape).
    Each part is read once, to the count's end, into a CTE that both the count and the page
    are taken from (read twice, once for each, the officer's own part cost its reads twice)."""
    parts = [part.order_by(FollowUp.responded_at, FollowUp.id).limit(COUNTED).subquery()
             for part in _waiting_parts(with_agency, outside)]
    selects = [select(part.c.id, part.c.responded_at) for part in parts]
    waiting = (union_all(*selects) if len(selects) > 1 else selects[0]).cte("waiting")
    total = select(func.count()).select_from(waiting)
    chosen = (select(waiting.c.id).order_by(waiting.c.responded_at, waiting.c.id).limit(SHOWN)
              .subquery("chosen"))
    shown = (select(FollowUp.id, FollowUp.action, FollowUp.responded_at, Premises.name)
             .select_from(chosen).join(FollowUp, FollowUp.id == chosen.c.id)
             .join(Premises, Premises.id == FollowUp.premises_id))
    # Its words in the text, or PostgreSQL planned it afresh every time (plan_constants).
    return with_fixed_words(with_counts(shown, lambda c: (c.responded_at, c.id), total))


def answered_follow_ups(user: User, shown: int, counted: int) -> Page:
    """The answered follow-ups this officer reviews, longest waiting first: the first `shown`
    and how many in all, counted up to `counted` (one statement, and one before it for an
    officer with an agency: their visits outside it). Each part is read in waiting order to
    the count's end and no further, so the page costs what the officer's agency has waiting,
    at most, whatever the country has. An agency of a tenth of the country had 303 waiting,
    every one a to-do on the home page (179 KB, 80 ms); read from every agency's answers in
    waiting order, it read 1,013 of them (2 to 8 ms)."""
    with_agency = user.agency_id is not None
    outside = (followups.visits_outside_agency(user.id, user.agency_id) if with_agency
               else followups.Outside("none", []))
    (n,), rows = counted_rows(db.session, _waiting_statement(with_agency, outside.shape), {
        "review_officer": user.id, "review_agency": user.agency_id,
        "review_outside": outside.ids,
        "review_shown": shown + 1, "review_counted": counted + 1})
    found = [Answer(*row) for row in rows]
    return Page(found[:shown], 1, shown, min(n, counted), n > counted, len(found) > shown)


@cache
def _drafts_statement():
    """The officer's unsubmitted visits, oldest first (built once; its words in the text, or
    PostgreSQL planned it afresh each time: plan_constants)."""
    return with_fixed_words(select(Visit).options(joinedload(Visit.premises)).where(
        Visit.officer_id == bindparam("drafts_officer", type_=Integer()),
        Visit.status == "draft").order_by(Visit.created_at))


def items(user: User) -> list[ToDo]:
    result: list[ToDo] = []
    drafts = db.session.scalars(_drafts_statement(), {"drafts_officer": user.id})
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
                                                 shop=f.shop),
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
