"""The visit list and its search: each page's work bounded by the page, not by the data.

An officer sees their agency's submitted visits and their own visits. Written as one `OR`,
PostgreSQL cannot walk an index in list order, so it gathers all 50,000 of an agency's visits
and sorts them. Here the scope is disjoint parts (`scope_parts`), each read newest first from
its own covering index and cut at the end of the page, then merged (UNION ALL). The count stops at
VISIT_LIST_COUNT_CAP ("more than 1,000 visits"), so it too costs the same at any scale.

Search (shop name, postcode or business name) narrows the premises first: when few premises
match, the visits of those premises are read by premises; when many match (a word in every
branch's name), the newest visits in scope are read in order and kept while they match, which
stops after the page because nearly every visit matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, false, or_, select, union_all

from compliance.areas import ListFilters, in_district
from compliance.extensions import db
from compliance.models import Premises, Retailer, Role, User, Visit
from compliance.paging import Page, bounded_count, offset


@dataclass(frozen=True)
class VisitRow:
    """A row of the visit list: what its columns show."""

    id: int
    visited_at: datetime | None
    status: str
    visit_type: str | None
    outcome: str | None
    premises_name: str
    postcode: str
    business_name: str
    officer_name: str | None


# Up to this many matching premises, search reads their visits by premises; beyond, it walks
# the visits in scope newest first (matches are then common enough to fill a page quickly).
FEW_PREMISES = 200


def scope_parts(user: User) -> list:
    """Disjoint conditions on Visit whose union is what `user`'s lists include
    (queries.visible_clause), each a range of an index in list order (visit date, id):
    the agency's submitted visits, the officer's drafts, and the officer's own submitted
    visits outside the agency (recorded before a move; usually none). A visit is a draft
    or submitted (services.start_visit, submit_visit)."""
    if user.role == Role.ADMIN:
        return [Visit.status == "submitted"]
    if user.role != Role.OFFICER:
        return []
    own = Visit.officer_id == user.id
    if not user.agency_id:
        return [own & (Visit.status == "submitted"), own & (Visit.status == "draft")]
    agency = user.agency_id
    return [(Visit.status == "submitted") & (Visit.agency_id == agency),
            own & (Visit.status == "draft"),
            own & (Visit.status == "submitted")
            & or_(Visit.agency_id.is_(None), Visit.agency_id != agency)]


def _like(search: str) -> str:
    return "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _matches(like: str):
    return or_(Premises.name.ilike(like, escape="\\"), Premises.postcode.ilike(like, escape="\\"),
               Retailer.name.ilike(like, escape="\\"))


def _few_matching_premises(like: str) -> list[int] | None:
    """The ids of the premises matching the search if there are at most FEW_PREMISES, else
    None. UNION ALL (not UNION) and a LIMIT, so a word that every premises has stops early."""
    by_shop = select(Premises.id).where(or_(Premises.name.ilike(like, escape="\\"),
                                            Premises.postcode.ilike(like, escape="\\")))
    by_business = select(Premises.id).join(Retailer, Premises.retailer_id == Retailer.id).where(
        Retailer.name.ilike(like, escape="\\"))
    ids = set(db.session.scalars(union_all(by_shop, by_business).limit(FEW_PREMISES * 2 + 1)))
    return sorted(ids) if len(ids) <= FEW_PREMISES else None


def _newest(condition, filters: ListFilters, search: tuple[str, list[int] | None] | None,
            limit: int) -> Select:
    """One part of the scope: ids and dates of its newest `limit` visits that pass the filters."""
    stmt = select(Visit.id, Visit.visited_at).where(condition)
    if search is not None:
        like, few = search
        if few is not None:
            stmt = stmt.where(Visit.premises_id.in_(few) if few else false())
        else:
            stmt = (stmt.join(Premises, Visit.premises_id == Premises.id)
                    .join(Retailer, Premises.retailer_id == Retailer.id).where(_matches(like)))
    if filters.district:
        stmt = stmt.where(Visit.premises_id.in_(select(Premises.id).where(
            in_district(Premises.postcode, filters.district))))
    if filters.agency_id:
        stmt = stmt.where(Visit.agency_id == filters.agency_id)
    return stmt.order_by(Visit.visited_at.desc(), Visit.id.desc()).limit(limit)


def _merged(parts: list, filters, search, limit: int):
    """The parts' newest `limit` each, as one subquery of (id, visited_at)."""
    subqueries = [_newest(part, filters, search, limit).subquery() for part in parts]
    selects = [select(s.c.id, s.c.visited_at) for s in subqueries]
    return (union_all(*selects) if len(selects) > 1 else selects[0]).subquery("visible")


def visit_list(user: User, search: str, page: int, per_page: int,
               filters: ListFilters | None = None, cap: int = 1000) -> Page:
    """A page of the visits a user may see, newest first, with a count that stops at `cap`
    (two or three queries: the search's premises when there is a search, the count, the rows)."""
    filters = filters or ListFilters()
    parts = scope_parts(user)
    if not parts:
        return Page([], page, per_page, 0)
    search = search.replace("\x00", "").strip()  # PostgreSQL refuses a NUL; no name has one
    matched = None
    if search:
        like = _like(search)
        matched = (like, _few_matching_premises(like))
    counted = _merged(parts, filters, matched, cap + 1)
    total, capped = bounded_count(db.session, select(counted.c.id), cap)
    end = offset(page, per_page) + per_page + 1  # one more: is there a next page?
    rows = _merged(parts, filters, matched, end)
    # Plain rows of the columns the list shows, not visit objects: a visit has some 30
    # columns, and building (or deferring) each attribute was most of the ORM's work here.
    found = [VisitRow(*row) for row in db.session.execute(
        select(Visit.id, Visit.visited_at, Visit.status, Visit.visit_type, Visit.outcome,
               Premises.name, Premises.postcode, Retailer.name, User.name)
        .select_from(rows).join(Visit, Visit.id == rows.c.id)
        .join(Premises, Visit.premises_id == Premises.id)
        .join(Retailer, Premises.retailer_id == Retailer.id)
        .outerjoin(User, Visit.officer_id == User.id)
        .order_by(rows.c.visited_at.desc(), rows.c.id.desc())
        .limit(per_page + 1).offset(offset(page, per_page)))]
    return Page(found[:per_page], page, per_page, total, capped, len(found) > per_page)
