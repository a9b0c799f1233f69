"""What the visit pages list, each in a fixed number of queries however many rows there are.

The shop's side gets plain dataclasses built here, never visit rows: officer-only notes and
volunteer details are left out before anything reaches a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import (
    Integer,
    bindparam,
    case,
    false,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import joinedload, selectinload

from compliance.extensions import db
from compliance.followups import services as followups
from compliance.models import FollowUp, Premises, Role, TestPurchase, User, Visit
from compliance.paging import Page, counted_rows, offset, with_counts
from compliance.visits.labels import UNMET

RECENT = 10


def visible_clause(user: User):
    """Which visits a user's lists include, as a condition on Visit.

    Officers: their agency's submitted visits and their own drafts. Admins: every submitted
    visit. Anyone else: none. A condition rather than `id IN (subquery)`, so the planner
    walks the (agency, status, visited_at) or (status, visited_at) index in list order.
    """
    if user.role == Role.ADMIN:
        return Visit.status == "submitted"
    if user.role != Role.OFFICER:
        return false()
    agency = (Visit.agency_id == user.agency_id) if user.agency_id else (
        Visit.officer_id == user.id)
    return or_(Visit.officer_id == user.id, (Visit.status == "submitted") & agency)


def visible_visits(user: User):
    """The ids of the visits a user's lists include (a subquery)."""
    return select(Visit.id).where(visible_clause(user))


@dataclass(frozen=True)
class BoardVisit:
    """A visit on the officer's board: what the board shows of it."""

    id: int
    premises_name: str
    visited_at: datetime | None
    updated_at: datetime
    visit_type: str | None
    outcome: str | None


@dataclass(frozen=True)
class Dashboard:
    drafts: list[BoardVisit]
    recent: list[BoardVisit]
    follow_ups: list[followups.FollowUpRow]


# The board's statements are built once per shape (`_board`), with the user bound at each
# call: building them cost about as much as running them.
BOARD_OFFICER = bindparam("board_officer", type_=Integer())
BOARD_AGENCY = bindparam("board_agency", type_=Integer())


@lru_cache(maxsize=8)
def _board(kind: str):
    """(visits, follow-ups) statements for an admin, an officer of an agency or an officer of
    none (`kind`), as visible_clause has it: the visits statement reads the drafts and the
    recent visits in one union, each row led by its part ("draft" or "recent")."""
    def board_visits(part: str, *where, order):
        newest = (select(Visit.id, Premises.name, Visit.visited_at, Visit.updated_at,
                         Visit.visit_type, Visit.outcome)
                  .join(Premises, Visit.premises_id == Premises.id)
                  .where(*where).order_by(*order).limit(RECENT).subquery())
        return select(literal(part).label("part"), *newest.c)

    own = Visit.officer_id == BOARD_OFFICER
    drafts = board_visits("draft", own, Visit.status == "draft",
                          order=(Visit.updated_at.desc(),))
    recent = board_visits("recent", Visit.status == "submitted",
                          true() if kind == "admin" else own,
                          order=(Visit.visited_at.desc(), Visit.id.desc()))
    if kind == "agency":  # dashboard() reads the follow-ups by agency, then own visits
        return union_all(drafts, recent), None
    visible = Visit.status == "submitted" if kind == "admin" else own
    return union_all(drafts, recent), followups.follow_ups_for_visits_statement(
        select(Visit.id).where(visible))


def dashboard(user: User) -> Dashboard:
    """An officer's drafts and recent visits, and the follow-ups still in progress (plain
    rows of what the board shows: building whole visits was most of its Python)."""
    if user.role not in (Role.ADMIN, Role.OFFICER):
        return Dashboard([], [], [])
    kind = "admin" if user.role == Role.ADMIN else "agency" if user.agency_id else "own"
    values = {"board_officer": user.id, "board_agency": user.agency_id}
    visits, follow_ups = _board(kind)
    board: dict[str, list[BoardVisit]] = {"draft": [], "recent": []}
    for row in db.session.execute(visits, values):
        board[row[0]].append(BoardVisit(*row[1:]))
    # Each part in its own order (a union's rows come in no promised order).
    board["draft"].sort(key=lambda v: v.updated_at, reverse=True)
    board["recent"].sort(key=lambda v: (v.visited_at, v.id), reverse=True)
    if follow_ups is None:  # an agency's officer: the agency's range, and their own outside it
        outside = followups.visits_outside_agency(user.id, user.agency_id)
        follow_ups = followups.agency_in_progress_statement(outside.shape)
        values = {"in_progress_officer": user.id, "in_progress_agency": user.agency_id,
                  "in_progress_outside": outside.ids}
    return Dashboard(board["draft"], board["recent"],
                     [followups.FollowUpRow(*row)
                      for row in db.session.execute(follow_ups, values)])


def premises_visits(premises_id: int, user: User) -> list[Visit]:
    """Visits to one shop that this officer or admin may see, newest first."""
    return list(db.session.scalars(
        select(Visit).options(joinedload(Visit.officer), selectinload(Visit.test_purchases),
                              selectinload(Visit.follow_ups))
        .where(Visit.premises_id == premises_id,
               or_(Visit.status == "submitted", Visit.officer_id == user.id))
        .order_by(Visit.visited_at.desc(), Visit.id.desc())))


# --- the shop's side -------------------------------------------------------------------------


@dataclass(frozen=True)
class ShopTestPurchase:
    item_attempted: str
    id_asked: bool
    sold: bool
    staff_member: str | None
    letter_sent: bool


@dataclass(frozen=True)
class ShopFinding:
    number: int
    check: str
    answer: str
    how_to_fix: str


@dataclass(frozen=True)
class ShopVisit:
    """A visit as the shop sees it: no officer-only notes, no volunteer details."""

    id: int
    premises_id: int
    premises_name: str
    premises_address: str
    business_name: str
    visited_at: datetime | None
    visit_type: str | None
    officer_name: str
    agency_name: str | None
    person_spoken_to: str | None
    person_role: str | None
    outcome: str | None
    advice_given: str | None
    materials: list[str]
    test_purchases: list[ShopTestPurchase]
    to_put_right: list[ShopFinding]
    follow_ups: list[FollowUp]
    claim_code: str | None


def shop_visit(visit: Visit) -> ShopVisit:
    """The summary left with the shop, from a visit loaded by services.load_visit."""
    premises = visit.premises
    unmet = sorted((f for f in visit.findings if f.answer in UNMET), key=lambda f: f.item.number)
    return ShopVisit(
        id=visit.id, premises_id=premises.id, premises_name=premises.name,
        premises_address=premises.address, business_name=premises.retailer.name,
        visited_at=visit.visited_at, visit_type=visit.visit_type,
        officer_name=visit.officer.name, agency_name=visit.agency.name if visit.agency else None,
        person_spoken_to=visit.person_spoken_to, person_role=visit.person_role,
        outcome=visit.outcome, advice_given=visit.advice_given, materials=list(visit.materials),
        test_purchases=[ShopTestPurchase(p.item_attempted, p.id_asked, p.sold, p.staff_member,
                                         p.letter_sent) for p in visit.test_purchases],
        to_put_right=[ShopFinding(f.item.number, f.item.officer_check, f.answer,
                                  f.item.how_to_fix) for f in unmet],
        follow_ups=sorted(visit.follow_ups, key=lambda f: (f.due_on, f.id)),
        claim_code=None if premises.retailer.claimed else premises.claim_code)


@dataclass(frozen=True)
class ShopVisitRow:
    id: int
    premises_name: str
    visited_at: datetime | None
    visit_type: str | None
    outcome: str | None
    advice_given: str | None
    follow_ups: int
    test_purchase: str | None  # "sold" | "refused" | None


SHOP_RETAILER = bindparam("shop_retailer", type_=Integer())
SHOP_CAP = bindparam("shop_cap", type_=Integer())
SHOP_LIMIT = bindparam("shop_limit", type_=Integer())
SHOP_OFFSET = bindparam("shop_offset", type_=Integer())


@lru_cache(maxsize=1)
def _shop_visits_statement():
    """A page of a business's visits with their count (stopping at SHOP_CAP) in one
    statement, built once with the business and the page bound at each call."""
    scope = (Visit.retailer_id == SHOP_RETAILER, Visit.status == "submitted")
    newest = (Visit.visited_at.desc(), Visit.id.desc())
    count = select(func.count()).select_from(
        select(Visit.id).where(*scope).order_by(*newest).limit(SHOP_CAP).subquery())
    follow_ups = (select(func.count(FollowUp.id)).where(FollowUp.visit_id == Visit.id)
                  .scalar_subquery())
    # 1 if a test purchase sold, 0 if all were refused, NULL if none: an aggregate per row
    # through the visit_id index (EXISTS here became a hashed scan of every test purchase).
    purchase = (select(func.max(case((TestPurchase.sold.is_(True), 1), else_=0)))
                .where(TestPurchase.visit_id == Visit.id).scalar_subquery())
    page = (select(Visit.id, Premises.name, Visit.visited_at, Visit.visit_type, Visit.outcome,
                   Visit.advice_given, follow_ups,
                   case((purchase == 1, "sold"), (purchase == 0, "refused"), else_=None))
            .join(Premises, Visit.premises_id == Premises.id)
            .where(*scope).order_by(*newest).limit(SHOP_LIMIT).offset(SHOP_OFFSET))
    return with_counts(page, lambda c: (c.visited_at.desc(), c.id.desc()), count)


def shop_visits(retailer_id: int, page: int = 1, per_page: int = 25, cap: int = 1000) -> Page:
    """A page of the submitted visits to a business's premises, newest first (one query: the
    rows with their follow-up count and test-purchase result, and the count, stopping at
    `cap`). Both walk ix_visits_retailer_status_visited and stop, whatever the business's
    size: a 500-premises chain costs what a corner shop does."""
    (n,), rows = counted_rows(db.session, _shop_visits_statement(), {
        "shop_retailer": retailer_id, "shop_cap": cap + 1, "shop_limit": per_page + 1,
        "shop_offset": offset(page, per_page)})
    return Page([ShopVisitRow(*row) for row in rows[:per_page]], page, per_page, min(n, cap),
                n > cap, len(rows) > per_page)
