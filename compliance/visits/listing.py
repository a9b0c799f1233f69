"""The visit list and its search: each page's work bounded by the page, not by the data.

An officer sees their agency's submitted visits and their own visits. Written as one `OR`,
PostgreSQL cannot walk an index in list order, so it gathers all 50,000 of an agency's visits
and sorts them. Here the scope is disjoint parts (`scope_parts`), each read newest first from
its own covering index and cut at the end of the page, then merged (UNION ALL). The count stops at
VISIT_LIST_COUNT_CAP ("more than 1,000 visits"), so it too costs the same at any scale.

Search (shop name, postcode or business name, matched as `text_search` says: anywhere, or
a word's start for one or two characters) narrows the premises first: when few premises
match, the visits of those premises are read by premises; when many match (a word in every
branch's name), the newest visits in scope are read in order and kept while they match, which
stops after the page because nearly every visit matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Integer, Select, String, bindparam, func, or_, select, union_all

from compliance import text_search
from compliance.areas import ListFilters
from compliance.extensions import db
from compliance.models import Premises, Retailer, Role, User, Visit
from compliance.paging import Page, counted_rows, offset, with_counts


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
# A search shaped like a postcode district ("EX35", "b1"): read by premises up to this many.
# A district has hundreds of shops whose visits are rare among an agency's, so walking the
# visits newest first read most of them (57 ms); a word matching as many is common enough to
# fill a page quickly, and asking for more ids cost every such search a millisecond or more.
FEW_IN_A_DISTRICT = 1000
DISTRICT_SHAPED = re.compile(r"[a-z]{1,2}[0-9][a-z0-9]?", re.IGNORECASE)


# The values a list's statements take, so each shape of statement (whose visits, how it is
# searched and narrowed) is built once per process (`_statement`): building the parts, their
# union and the page's joins cost about as much as running them.
AGENCY = bindparam("visits_agency", type_=Integer())
OFFICER = bindparam("visits_officer", type_=Integer())
LIKE = bindparam("visits_like", type_=String())
WORD_LIKE = bindparam("visits_word_like", type_=String())  # a short search: a word's start
FEW = bindparam("visits_few", expanding=True, type_=Integer())
DISTRICT = bindparam("visits_district", type_=String())
DISTRICT_LIKE = bindparam("visits_district_like", type_=String())
FILTER_AGENCY = bindparam("visits_filter_agency", type_=Integer())
PER_PART = bindparam("visits_per_part", type_=Integer())
CAP = bindparam("visits_cap", type_=Integer())
LIMIT = bindparam("visits_limit", type_=Integer())
OFFSET = bindparam("visits_offset", type_=Integer())


def _kind(user: User) -> str | None:
    if user.role == Role.ADMIN:
        return "everyone"
    if user.role != Role.OFFICER:
        return None
    return "agency and own" if user.agency_id else "own"


def scope_parts(kind: str) -> list:
    """Disjoint conditions on Visit whose union is what a user's lists include
    (queries.visible_clause), each a range of an index in list order (visit date, id):
    the agency's submitted visits, the officer's drafts, and the officer's own submitted
    visits outside the agency (recorded before a move; usually none). A visit is a draft
    or submitted (services.start_visit, submit_visit)."""
    if kind == "everyone":
        return [Visit.status == "submitted"]
    own = Visit.officer_id == OFFICER
    if kind == "own":
        return [own & (Visit.status == "submitted"), own & (Visit.status == "draft")]
    return [(Visit.status == "submitted") & (Visit.agency_id == AGENCY),
            own & (Visit.status == "draft"),
            own & (Visit.status == "submitted")
            & or_(Visit.agency_id.is_(None), Visit.agency_id != AGENCY)]


def _matches(likes):
    return or_(*(text_search.matching(column, likes)
                 for column in (Premises.name, Premises.postcode, Retailer.name)))


def _few_matching_premises(likes: tuple[str, ...], few: int) -> list[int] | None:
    """The ids of the premises matching the search if there are at most `few`, else None.
    UNION ALL (not UNION) and a LIMIT, so a word that every premises has stops early. The
    patterns are quoted literals in the SQL, as in the shop finder (shops.find_premises): a
    generic plan, made for any pattern, cannot use a trigram index."""
    likes = tuple(bindparam(f"visits_few_like_{n}", like, literal_execute=True)
                  for n, like in enumerate(likes))
    by_shop = select(Premises.id).where(or_(text_search.matching(Premises.name, likes),
                                            text_search.matching(Premises.postcode, likes)))
    by_business = select(Premises.id).join(Retailer, Premises.retailer_id == Retailer.id).where(
        text_search.matching(Retailer.name, likes))
    ids = set(db.session.scalars(union_all(by_shop, by_business).limit(few * 2 + 1)))
    return sorted(ids) if len(ids) <= few else None


def _filters(district: bool, narrow_agency: bool) -> list:
    """The list's filters as conditions on Visit."""
    found = []
    if district:  # as areas.in_district: 'EX1 1AA' is in EX1, never in EX11
        found.append(Visit.premises_id.in_(select(Premises.id).where(
            or_(Premises.postcode.like(DISTRICT_LIKE), Premises.postcode == DISTRICT))))
    if narrow_agency:
        found.append(Visit.agency_id == FILTER_AGENCY)
    return found


def _newest(condition, search: str | None, district: bool, narrow_agency: bool,
            limit=PER_PART) -> Select:
    """One part of the scope: ids and dates of its newest `limit` visits that pass the
    filters. `search`: None, "many" (visits whose premises or business match LIKE) or "many
    short" (match LIKE or WORD_LIKE: a short search's patterns, text_search.patterns)."""
    stmt = select(Visit.id, Visit.visited_at).where(condition, *_filters(district, narrow_agency))
    if search in ("many", "many short"):
        likes = (LIKE, WORD_LIKE) if search == "many short" else (LIKE,)
        stmt = (stmt.join(Premises, Visit.premises_id == Premises.id)
                .join(Retailer, Premises.retailer_id == Retailer.id).where(_matches(likes)))
    return stmt.order_by(Visit.visited_at.desc(), Visit.id.desc()).limit(limit)


@lru_cache(maxsize=128)
def _statement(shape: tuple[str, str | None, bool, bool]):
    """A shape's one statement: (kind, search, district, narrowed to an agency).

    The count reads the newest CAP visits of each part, merged, and stops at CAP; the page
    reads the newest PER_PART (the page's end) of each part, merged and cut (LIMIT, OFFSET)
    before it is joined to shops, businesses and officers, so only the page's rows are
    joined. The page and its count are one plain SELECT (`paging.with_counts`).

    A search matching few shops ("few": at most FEW_PREMISES, or FEW_IN_A_DISTRICT for a
    postcode district; their ids in FEW) reads every
    visit of theirs in scope once, into a CTE that the count and the page both take from:
    walked newest first part by part (twice, for the count and the page), a postcode
    district's 500 shops' visits were looked for among all the agency's (57 ms)."""
    kind, search, district, narrow_agency = shape

    if search == "few":
        found = (select(Visit.id, Visit.visited_at)
                 .where(or_(*scope_parts(kind)), Visit.premises_id.in_(FEW),
                        *_filters(district, narrow_agency))
                 .cte("found"))
        counted = window = found
    else:
        def merged(limit):
            selects = [select(s.c.id, s.c.visited_at) for s in
                       (_newest(part, search, district, narrow_agency, limit=limit).subquery()
                        for part in scope_parts(kind))]
            return (union_all(*selects) if len(selects) > 1 else selects[0]).subquery()

        counted, window = merged(CAP), merged(PER_PART)
    total = select(func.count()).select_from(select(counted.c.id).limit(CAP).subquery())
    chosen = (select(window.c.id, window.c.visited_at)
              .order_by(window.c.visited_at.desc(), window.c.id.desc())
              .limit(LIMIT).offset(OFFSET).subquery("chosen"))
    # Plain rows of the columns the list shows, not visit objects: a visit has some 30
    # columns, and building (or deferring) each attribute was most of the ORM's work here.
    shown = (select(Visit.id, Visit.visited_at, Visit.status, Visit.visit_type, Visit.outcome,
                    Premises.name.label("premises_name"), Premises.postcode,
                    Retailer.name.label("business_name"), User.name.label("officer_name"))
             .select_from(chosen).join(Visit, Visit.id == chosen.c.id)
             .join(Premises, Visit.premises_id == Premises.id)
             .join(Retailer, Premises.retailer_id == Retailer.id)
             .outerjoin(User, Visit.officer_id == User.id))
    return with_counts(shown, lambda c: (c.visited_at.desc(), c.id.desc()), total)


def visit_list(user: User, search: str, page: int, per_page: int,
               filters: ListFilters | None = None, cap: int = 1000) -> Page:
    """A page of the visits a user may see, newest first, with a count that stops at `cap`
    (one query, and one more for the search's premises when there is a search)."""
    filters = filters or ListFilters()
    kind = _kind(user)
    if kind is None:
        return Page([], page, per_page, 0)
    values: dict[str, object] = {
        "visits_agency": user.agency_id, "visits_officer": user.id,
        "visits_district": filters.district, "visits_district_like": f"{filters.district} %",
        "visits_filter_agency": filters.agency_id}
    mode = None
    if search.strip():
        likes = text_search.patterns(search)
        if not likes:  # no letter or digit: nothing to match
            return Page([], page, per_page, 0)
        few = _few_matching_premises(likes, FEW_IN_A_DISTRICT if DISTRICT_SHAPED.fullmatch(
            search.replace(" ", "")) else FEW_PREMISES)
        mode = ("few" if few is not None
                else "many short" if text_search.by_word_start(likes) else "many")
        values.update(visits_like=likes[0], visits_word_like=likes[-1], visits_few=few or [])
    statement = _statement((kind, mode, bool(filters.district), bool(filters.agency_id)))
    start = offset(page, per_page)
    # Each part is read to the page's end and one more row (is there a next page?).
    (n,), rows = counted_rows(db.session, statement, {
        **values, "visits_per_part": start + per_page + 1,
        "visits_cap": cap + 1, "visits_limit": per_page + 1, "visits_offset": start})
    total, capped = min(n, cap), n > cap
    found = [VisitRow(*row) for row in rows]
    return Page(found[:per_page], page, per_page, total, capped, len(found) > per_page)
