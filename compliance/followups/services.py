"""Follow-up actions: an officer asks the shop to do something; the shop's managers answer;
the officer closes it, or returns it to the shop.

States: open -> answered -> closed, or answered -> returned -> answered -> ... An open or
returned follow-up past its due date is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import joinedload

from compliance import audit
from compliance.audit import Actor
from compliance.constraints import claim
from compliance.extensions import db
from compliance.followups.mail import (
    FollowUpMail,
    send_answered,
    send_raised,
    send_returned,
)
from compliance.models import FollowUp, Premises, Visit
from compliance.models.base import utcnow
from compliance.models.visits import follow_up_is_overdue
from compliance.paging import Page, counted_rows, offset, with_counts
from compliance.plan_constants import with_fixed_words
from compliance.visits.services import clean_text

DECISIONS = ("close", "return")


class FollowUpError(Exception):
    """The follow-up is not in a state that allows this."""


@dataclass(frozen=True)
class FollowUpDetails:
    action: str
    due_on: date
    evidence_wanted: str | None = None
    guidance_link: str | None = None


def raise_follow_up(visit: Visit, details: FollowUpDetails, actor: Actor, *,
                    mail: FollowUpMail | None) -> tuple[FollowUp, bool]:
    """Ask the shop to act; the same action and date again (a retry) returns the first one.

    The managers are emailed now if the visit is submitted; a draft's follow-ups reach them
    when it is (see submit_visit). With no `mail` (the demo data), nobody is emailed.
    """
    action = details.action.strip()
    existing = db.session.scalar(select(FollowUp).where(
        FollowUp.visit_id == visit.id, FollowUp.action == action,
        FollowUp.due_on == details.due_on))
    if existing is not None:
        return existing, False
    follow_up = FollowUp(visit_id=visit.id, premises_id=visit.premises_id, action=action,
                         due_on=details.due_on, status="open",
                         evidence_wanted=clean_text(details.evidence_wanted),
                         guidance_link=clean_text(details.guidance_link),
                         created_by_id=actor.user_id)
    db.session.add(follow_up)
    db.session.flush()
    audit.record(actor, "follow_up_raised", f"Raised a follow-up for premises "
                 f"{visit.premises_id}, due {details.due_on.isoformat()}", target=follow_up,
                 details={"visit_id": visit.id})
    if mail is not None and visit.status == "submitted":
        send_raised(mail, _premises(follow_up), [follow_up])
    return follow_up, True


def load_follow_up(follow_up_id: int) -> FollowUp | None:
    return db.session.scalar(select(FollowUp).where(FollowUp.id == follow_up_id).options(
        joinedload(FollowUp.visit), joinedload(FollowUp.premises).joinedload(Premises.retailer),
        joinedload(FollowUp.responded_by), joinedload(FollowUp.closed_by)))


def respond(follow_up: FollowUp, note: str, actor: Actor, *,
            mail: FollowUpMail | None) -> None:
    """A shop manager says what they have done; the officer who raised it is emailed."""
    if not follow_up.is_open:
        raise FollowUpError
    # Of concurrent answers (a double click, two managers), only the first is recorded.
    if not claim(FollowUp, follow_up.id, FollowUp.status.in_(("open", "returned")),
                 status="answered", response_note=note.strip(),
                 responded_by_id=actor.user_id, responded_at=utcnow()):
        raise FollowUpError
    audit.record(actor, "follow_up_answered", f"Answered follow-up {follow_up.id}",
                 target=follow_up)
    db.session.flush()
    if mail is not None:
        send_answered(mail, _premises(follow_up), follow_up, actor.user)


def review(follow_up: FollowUp, decision: str, note: str | None, actor: Actor, *,
           mail: FollowUpMail | None) -> None:
    """The officer accepts the shop's answer (closes it), or returns it with a note that is
    emailed to the shop's managers."""
    if follow_up.status == "closed" or decision not in DECISIONS:
        raise FollowUpError
    follow_up.officer_note = clean_text(note)
    if decision == "close":
        follow_up.status = "closed"
        follow_up.closed_by_id, follow_up.closed_at = actor.user_id, utcnow()
    else:
        follow_up.status = "returned"
    audit.record(actor, f"follow_up_{'closed' if decision == 'close' else 'returned'}",
                 f"{'Closed' if decision == 'close' else 'Returned'} follow-up {follow_up.id}",
                 target=follow_up)
    db.session.flush()
    if mail is not None and decision == "return":
        send_returned(mail, _premises(follow_up), follow_up)


def _premises(follow_up: FollowUp) -> Premises:
    """The follow-up's shop: usually already loaded (by load_follow_up or load_visit)."""
    return db.session.get_one(Premises, follow_up.premises_id)


FU_RETAILER = bindparam("follow_ups_retailer", type_=Integer())
FU_PER_PART = bindparam("follow_ups_per_part", type_=Integer())
FU_CAP = bindparam("follow_ups_cap", type_=Integer())
FU_LIMIT = bindparam("follow_ups_limit", type_=Integer())
FU_OFFSET = bindparam("follow_ups_offset", type_=Integer())


@lru_cache(maxsize=1)
def _retailer_follow_ups_statement():
    """A page of a business's follow-ups with their count and how many wait for the shop, in
    one statement (`paging.with_counts`), built once with the business and the page bound at
    each call.

    Those not closed are read twice: whole for both counts at once, and a page's worth for the
    page (ix_follow_ups_retailer_open_due, in due order); the closed ones a page's worth, and
    up to the cap for the count."""
    def submitted(*where):
        return (select(FollowUp.id, FollowUp.due_on, FollowUp.status)
                .join(Visit, FollowUp.visit_id == Visit.id)
                .where(FollowUp.retailer_id == FU_RETAILER, Visit.status == "submitted", *where))

    not_closed = FollowUp.status != "closed"  # as the partial index has it
    in_progress = submitted(not_closed).subquery()
    closed = (submitted(FollowUp.status == "closed").order_by(FollowUp.due_on, FollowUp.id)
              .limit(FU_CAP).subquery())
    waiting = func.count().filter(in_progress.c.status.in_(("open", "returned")))
    counts = select((func.count() + select(func.count()).select_from(closed)
                     .scalar_subquery()).label("total"), waiting.label("waiting"))
    counts = counts.select_from(in_progress)

    def first(rank: int, where, limit):
        cut = (submitted(where).add_columns(literal(rank).label("rank"))
               .order_by(FollowUp.due_on, FollowUp.id).limit(limit).subquery())
        return select(cut.c.id, cut.c.due_on, cut.c.rank)

    # The page is cut from the two halves before it is joined to its shops.
    listed = union_all(first(0, not_closed, FU_PER_PART),
                       first(1, FollowUp.status == "closed", FU_PER_PART)).subquery()
    chosen = (select(listed.c.id, listed.c.rank)
              .order_by(listed.c.rank, listed.c.due_on, listed.c.id)
              .limit(FU_LIMIT).offset(FU_OFFSET).subquery("chosen"))
    page = (select(FollowUp.id, Premises.name, FollowUp.action, FollowUp.due_on,
                   FollowUp.status, chosen.c.rank)
            .select_from(chosen).join(FollowUp, FollowUp.id == chosen.c.id)
            .join(Premises, FollowUp.premises_id == Premises.id))
    # Its words in the text: with `status != $1`, no plan made without the values could use
    # the partial index, and PostgreSQL planned it afresh every time (plan_constants).
    return with_fixed_words(with_counts(page, lambda c: (c.rank, c.due_on, c.id), counts))


def retailer_follow_ups_page(retailer_id: int, page: int, per_page: int, cap: int = 1000):
    """A page of a business's follow-ups (those not closed first, then the closed ones, each
    by due date; plain rows of what the list shows) and how many wait for the shop's answer:
    one query.

    Each half is a range of ix_follow_ups_retailer_status_due read in page order and cut at
    the end of the page, and the total stops at `cap`, so a chain with years of closed
    follow-ups costs what a new shop does."""
    start = offset(page, per_page)
    (n, waiting), rows = counted_rows(db.session, _retailer_follow_ups_statement(), {
        "follow_ups_retailer": retailer_id, "follow_ups_per_part": start + per_page + 1,
        "follow_ups_cap": cap + 1, "follow_ups_limit": per_page + 1,
        "follow_ups_offset": start}, counts=2)
    found = [FollowUpRow(*row[:5]) for row in rows]
    return (Page(found[:per_page], page, per_page, min(n, cap), n > cap,
                 len(found) > per_page), waiting)


@dataclass(frozen=True)
class FollowUpRow:
    """A follow-up in a short list: what the list shows, not the whole row."""

    id: int
    premises_name: str
    action: str
    due_on: date
    status: str

    @property
    def is_overdue(self) -> bool:
        return follow_up_is_overdue(self.status, self.due_on)


OUTSIDE_LISTED = 200  # an officer's visits outside their agency, listed by id up to this many


def outside_agency(officer, agency):
    """An officer's visit outside their agency's submitted ones: a draft, or recorded for
    another agency (before a move) or for none. `officer` and `agency`: bound parameters."""
    return and_(Visit.officer_id == officer, or_(
        Visit.status != "submitted", Visit.agency_id.is_(None), Visit.agency_id != agency))


@lru_cache(maxsize=1)
def _outside_statement():
    return (select(Visit.id).where(outside_agency(bindparam("outside_officer", type_=Integer()),
                                                  bindparam("outside_agency", type_=Integer())))
            .limit(bindparam("outside_listed", type_=Integer())))


@dataclass(frozen=True)
class Outside:
    """An officer's own visits outside their agency's submitted ones: "none", "listed" (their
    ids in `ids`) or "joined" (more than OUTSIDE_LISTED: found through the officer's visits)."""

    shape: str
    ids: list[int]


def visits_outside_agency(officer_id: int, agency_id: int) -> Outside:
    """An officer's own visits outside their agency's submitted ones (drafts, or visits from
    before a move): usually none or a few, listed by id; past OUTSIDE_LISTED, joined to
    instead. Read from the officer's own visits.

    Their follow-ups are the officer's as well as the agency's (the agency's are a range of
    an index on the follow-up's copied agency). Asked apart and first: joined to follow-ups
    in one statement, PostgreSQL expected most of an officer's visits to match (it cannot
    know they are nearly all their agency's) and read every follow-up of the kind in the
    country to find theirs."""
    found = list(db.session.scalars(_outside_statement(), {
        "outside_officer": officer_id, "outside_agency": agency_id,
        "outside_listed": OUTSIDE_LISTED + 1}))
    if len(found) > OUTSIDE_LISTED:
        return Outside("joined", [])
    return Outside("listed" if found else "none", found)


def agency_and_own(rows, shape: str, officer, agency, ids):
    """The two parts of an agency officer's follow-ups, from `rows` (a select of follow-up
    columns with its status condition): their agency's submitted visits' (by the follow-up's
    copied agency) and their own visits' outside the agency (`visits_outside_agency`'s
    shape: by visit id when listed, through their visits when joined, None when none).
    `officer`, `agency` and `ids` (expanding): the caller's bound parameters."""
    through_visits = rows.join(Visit, FollowUp.visit_id == Visit.id)
    agency_part = through_visits.where(FollowUp.agency_id == agency, Visit.status == "submitted")
    if shape == "listed":
        return agency_part, rows.where(FollowUp.visit_id.in_(ids))
    if shape == "joined":
        return agency_part, through_visits.where(outside_agency(officer, agency))
    return agency_part, None


AGENCY_OFFICER = bindparam("in_progress_officer", type_=Integer())
AGENCY_OF = bindparam("in_progress_agency", type_=Integer())
OUTSIDE_VISITS = bindparam("in_progress_outside", expanding=True, type_=Integer())
# Literal, as the partial indexes have it, so even a plan made without the values uses them.
NOT_CLOSED = FollowUp.status != literal_column("'closed'")


@lru_cache(maxsize=4)
def agency_in_progress_statement(outside: str, limit: int = 20):
    """The follow-ups still in progress that an officer of an agency tracks, soonest due
    first (rows for FollowUpRow): their agency's submitted visits' (a range of
    ix_follow_ups_agency_open_due) and their own visits' outside the agency, by visit when
    `visits_outside_agency` listed them ("listed"), through the officer's visits when it did
    not ("joined"), or none ("none"). Values: in_progress_officer, in_progress_agency and
    in_progress_outside."""
    def first(part):
        return part.order_by(FollowUp.due_on, FollowUp.id).limit(limit).subquery()

    agency_part, own = agency_and_own(select(FollowUp.id, FollowUp.due_on).where(NOT_CLOSED),
                                      outside, AGENCY_OFFICER, AGENCY_OF, OUTSIDE_VISITS)
    cut = [first(agency_part)]
    if own is not None:
        # Listed: all of theirs, unordered (a few visits' few follow-ups). Ordered and cut,
        # PostgreSQL walked the country's open follow-ups in due order looking for twenty.
        cut.append(own.subquery() if outside == "listed" else first(own))
    selects = [select(part.c.id, part.c.due_on) for part in cut]
    merged = (union_all(*selects) if len(selects) > 1 else selects[0]).subquery()
    chosen = (select(merged.c.id).order_by(merged.c.due_on, merged.c.id).limit(limit)
              .subquery("chosen"))
    return (select(FollowUp.id, Premises.name, FollowUp.action, FollowUp.due_on,
                   FollowUp.status)
            .select_from(chosen).join(FollowUp, FollowUp.id == chosen.c.id)
            .join(Premises, FollowUp.premises_id == Premises.id)
            .order_by(FollowUp.due_on, FollowUp.id))


def follow_ups_for_visits_statement(visit_scope, limit: int = 20):
    """The statement of the follow-ups still in progress on the visits selected by
    `visit_scope` (a subquery), soonest due first: rows for FollowUpRow."""
    return (select(FollowUp.id, Premises.name, FollowUp.action, FollowUp.due_on,
                   FollowUp.status)
            .join(Premises, FollowUp.premises_id == Premises.id)
            .where(FollowUp.visit_id.in_(visit_scope), FollowUp.status != "closed")
            .order_by(FollowUp.due_on, FollowUp.id).limit(limit))


def overdue_counts(premises_scope) -> dict[int, int]:
    """Open or returned follow-ups past their due date, per premises (one query)."""
    today = utcnow().date()
    rows = db.session.execute(
        select(FollowUp.premises_id, func.count(FollowUp.id))
        .where(FollowUp.premises_id.in_(premises_scope),
               FollowUp.status.in_(("open", "returned")), FollowUp.due_on < today)
        .group_by(FollowUp.premises_id))
    return {premises_id: count for premises_id, count in rows}
