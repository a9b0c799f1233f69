"""Visit lists whose work is bounded by the page: the capped count ("more than N visits") with
previous/next paging, the officer's scope as disjoint parts, search narrowed either way, the
business's visits and follow-ups by retailer_id, and the visit form's nearest operations."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from compliance.extensions import db
from compliance.models import FollowUp, Visit
from compliance.models.base import utcnow
from compliance.visits import listing
from tests.factories import PremisesFactory, RetailerFactory
from tests.visit_factories import FollowUpFactory, OperationFactory, VisitFactory


def _visit_links(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/visits/(\d+)"', page)]


def _next(page: str) -> str | None:
    found = re.findall(r'href="([^"]+)" rel="next"', page)
    return unescape(found[0]) if found else None


def _newest_first(visits: list[Visit]) -> list[int]:
    return [v.id for v in sorted(visits, key=lambda v: (v.visited_at, v.id), reverse=True)]


@pytest.fixture
def five(cast):
    """Five submitted visits by the officer's agency, a day apart."""
    now = utcnow()
    return [VisitFactory(officer=cast["colleague"], premises=cast["shop"],
                         visited_at=now - timedelta(days=n)) for n in range(5)]


def test_visit_list_count_stops_at_the_cap_and_pages_previous_next(
        app, monkeypatch, client, login_as, cast, five):
    monkeypatch.setitem(app.config, "VISIT_LIST_COUNT_CAP", 3)
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    login_as(cast["officer"])
    first = client.get("/visits/list").text
    assert "More than 3 visits, newest first" in first and "5 visits" not in first
    assert "Page 1" in first and "Page 1 of" not in first
    seen, url = [], "/visits/list"
    while url:
        page = client.get(url).text
        seen += _visit_links(page)
        url = _next(page)
    assert seen == _newest_first(five)
    last = client.get("/visits/list?page=3").text
    assert _visit_links(last) == seen[4:] and _next(last) is None and 'rel="prev"' in last


def test_a_search_counts_to_its_own_smaller_cap_and_says_how_to_narrow_it(
        app, monkeypatch, client, login_as, cast, five):
    monkeypatch.setitem(app.config, "VISIT_SEARCH_COUNT_CAP", 3)
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    login_as(cast["officer"])
    found = client.get("/visits/list", query_string={"q": cast["shop"].name}).text
    assert "More than 3 visits, newest first" in found
    assert "narrow the search" in found
    listed = client.get("/visits/list").text  # no search: the list's own cap, an exact 5
    assert "5 visits" in listed and "More than" not in listed and "narrow" not in listed


def test_visit_list_counts_exactly_below_the_cap(app, monkeypatch, client, login_as, cast, five):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    login_as(cast["officer"])
    page = client.get("/visits/list").text
    assert "5 visits" in page and "More than" not in page and "Page 1 of 3" in page


def test_officer_scope_is_agency_submitted_and_own_visits(client, login_as, cast):
    officer, colleague, stranger = cast["officer"], cast["colleague"], cast["stranger"]
    shop = cast["shop"]
    seen = [VisitFactory(officer=colleague, premises=shop),
            VisitFactory(officer=officer, premises=shop, status="draft", submitted_at=None),
            # their own, recorded for another agency (say before a move): still theirs
            VisitFactory(officer=officer, premises=shop, agency_id=stranger.agency_id),
            VisitFactory(officer=officer, premises=shop, agency_id=None)]
    VisitFactory(officer=colleague, premises=shop, status="draft", submitted_at=None)
    VisitFactory(officer=stranger, premises=shop)
    login_as(officer)
    page = client.get("/visits/list").text
    assert sorted(_visit_links(page)) == sorted(v.id for v in seen)
    assert "4 visits" in page


@pytest.mark.parametrize("few", [200, 0])
def test_search_finds_the_same_visits_whether_few_or_many_shops_match(
        monkeypatch, client, login_as, cast, few):
    """FEW_PREMISES=0 forces the walk through the visits newest first."""
    monkeypatch.setattr(listing, "FEW_PREMISES", few)
    officer = cast["officer"]
    chain = RetailerFactory(name="Zebra Blades Ltd")
    by_business = VisitFactory(officer=officer, premises=PremisesFactory(retailer=chain))
    by_name = VisitFactory(officer=officer, premises=PremisesFactory(name="Zebra Corner"))
    by_postcode = VisitFactory(officer=officer, premises=PremisesFactory(postcode="ZE1 9AA"))
    draft = VisitFactory(officer=officer, premises=PremisesFactory(name="Zebra Draft"),
                         status="draft", submitted_at=None)
    VisitFactory(officer=officer, premises=PremisesFactory(name="Other Shop"))
    VisitFactory(officer=cast["stranger"], premises=PremisesFactory(name="Zebra Elsewhere"))
    # Two characters match a word's start (text_search), three or more anywhere.
    second_word = VisitFactory(officer=officer, premises=PremisesFactory(name="Corner Zed"))
    inside = VisitFactory(officer=officer, premises=PremisesFactory(name="Blaze Tools"))
    login_as(officer)
    page = client.get("/visits/list?q=ze").text
    assert sorted(_visit_links(page)) == sorted(
        v.id for v in (by_business, by_name, by_postcode, draft, second_word))
    assert _visit_links(client.get("/visits/list?q=laz").text) == [inside.id]
    assert "No visits match" in client.get("/visits/list?q=100%25").text
    assert "No visits match" in client.get("/visits/list?q=%25").text  # no letter or digit


@pytest.mark.parametrize("in_a_district", [50, 0], ids=["by-premises", "walked"])
def test_a_postcode_district_search_reads_its_shops_visits_and_pages_them(
        app, monkeypatch, client, login_as, cast, count_queries, in_a_district):
    """A search shaped like a postcode district may match hundreds of shops: up to
    FEW_IN_A_DISTRICT it reads their visits by premises (a word needs FEW_PREMISES or fewer,
    here 1); the same visits, in the same order and pages, either way."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    monkeypatch.setattr(listing, "FEW_PREMISES", 1)
    monkeypatch.setattr(listing, "FEW_IN_A_DISTRICT", in_a_district)
    officer = cast["officer"]
    now = utcnow()
    district = [VisitFactory(officer=officer, visited_at=now - timedelta(days=n),
                             premises=PremisesFactory(postcode=f"EX35 {n}AB"))
                for n in range(5)]
    VisitFactory(officer=officer, premises=PremisesFactory(postcode="EX3 5AB"))  # not EX35
    VisitFactory(officer=cast["stranger"], premises=PremisesFactory(postcode="EX35 9ZZ"))
    login_as(officer)
    seen, url = [], "/visits/list?q=EX35"
    with count_queries() as counter:
        assert "5 visits" in client.get(url).text
    by_premises = any(q.lstrip().startswith("WITH found") for q in counter["statements"])
    assert by_premises is bool(in_a_district)
    while url:
        page = client.get(url).text
        seen += _visit_links(page)
        url = _next(page)
    assert seen == [v.id for v in district]  # newest first, each once, a page of two at a time


def test_shop_visits_and_follow_ups_count_stops_at_the_cap(
        app, monkeypatch, client, login_as, cast):
    monkeypatch.setitem(app.config, "VISIT_LIST_COUNT_CAP", 2)
    monkeypatch.setitem(app.config, "FOLLOW_UP_LIST_COUNT_CAP", 3)  # each list its own cap
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    shops = [cast["shop"], PremisesFactory(retailer=cast["shop"].retailer)]
    now = utcnow()
    visits = [VisitFactory(officer=cast["officer"], premises=shops[n % 2],
                           visited_at=now - timedelta(days=n)) for n in range(4)]
    for n, visit in enumerate(visits):
        FollowUpFactory(visit=visit, status="closed" if n % 2 else "open",
                        due_on=now.date() + timedelta(days=n))
    FollowUpFactory(visit=VisitFactory(officer=cast["officer"], premises=shops[0],
                                       status="draft", submitted_at=None))
    login_as(cast["manager"])
    page = client.get("/visits/shop").text
    assert "More than 2 visits." in page and "Page 1" in page
    assert "Showing 1 to 2 of more than 3, those waiting for you first." in page
    assert "2 follow-ups need your answer." in page
    hints = re.findall(r'class="govuk-task-list__hint">([^<]*)\. Due ', page)
    assert [unescape(h) for h in hints] == [shops[0].name] * 2  # each its premises
    ids = [int(i) for i in re.findall(r'href="/visits/(\d+)/summary"', page)]
    assert ids == _newest_first(visits)[:2]
    rest = client.get("/visits/shop?page=2").text
    ids += [int(i) for i in re.findall(r'href="/visits/(\d+)/summary"', rest)]
    assert ids == _newest_first(visits) and 'rel="next"' not in rest.split("Visits")[-1]
    follow_ups = re.findall(r'href="/visits/follow-ups/(\d+)"', page)
    follow_ups += re.findall(r'href="/visits/follow-ups/(\d+)"',
                             client.get("/visits/shop?follow_ups_page=2").text)
    expected = sorted(db.session.scalars(select(FollowUp).where(
        FollowUp.visit_id.in_([v.id for v in visits]))),
        key=lambda f: (f.status == "closed", f.due_on, f.id))
    assert [int(f) for f in follow_ups] == [f.id for f in expected]


def test_visits_and_follow_ups_carry_their_premises_business(cast):
    other = PremisesFactory()
    visit = VisitFactory(premises=other)
    follow_up = FollowUpFactory(visit=visit)
    db.session.expire_all()
    assert visit.retailer_id == other.retailer_id
    assert follow_up.retailer_id == other.retailer_id


def test_visit_form_offers_the_nearest_operations(app, monkeypatch, client, login_as, cast):
    monkeypatch.setitem(app.config, "VISIT_FORM_OPERATIONS", 2)
    today = utcnow().date()
    running = OperationFactory(name="Op Running")
    soon = OperationFactory(name="Op Soon", starts_on=today + timedelta(days=5),
                            ends_on=today + timedelta(days=9))
    OperationFactory(name="Op Later", starts_on=today + timedelta(days=50),
                     ends_on=today + timedelta(days=56))
    OperationFactory(name="Op Earlier", starts_on=today - timedelta(days=60),
                     ends_on=today - timedelta(days=54))
    login_as(cast["officer"])
    page = client.get(f"/visits/new?premises={cast['shop'].id}").text
    assert running.name in page and soon.name in page
    assert "Op Later" not in page and "Op Earlier" not in page


def test_each_kind_of_list_is_built_once_and_reads_its_own_visits(cast, five):
    """The statements are kept per shape with the values bound at each call: officers of
    two agencies, an officer of none and an admin, searching or not, each get their own."""
    from compliance.areas import ListFilters
    from compliance.models import Role
    from tests.factories import UserFactory

    listing._statement.cache_clear()
    stranger_visit = VisitFactory(officer=cast["stranger"], premises=cast["shop"])
    loner = UserFactory(role=Role.OFFICER, agency=None)
    loner_visit = VisitFactory(officer=loner, agency=None, premises=PremisesFactory(
        name="Lonely Lane", retailer=RetailerFactory(name="Lone Ltd")))
    draft = VisitFactory(officer=cast["officer"], premises=cast["shop"], status="draft",
                         submitted_at=None)
    db.session.flush()

    def ids(user, search="", **filters):
        return {r.id for r in listing.visit_list(user, search, 1, 50,
                                                 ListFilters(**filters)).items}

    ours = {v.id for v in five}
    assert ids(cast["officer"]) == ours | {draft.id}
    assert ids(cast["colleague"]) == ours  # the officer's draft is not theirs
    assert ids(cast["stranger"]) == {stranger_visit.id}
    assert ids(loner) == {loner_visit.id}
    assert ids(cast["admin"]) >= ours | {stranger_visit.id, loner_visit.id}
    assert ids(cast["admin"], agency_id=cast["stranger"].agency_id) == {stranger_visit.id}
    assert ids(cast["officer"], "alpha") == ours | {draft.id}
    assert ids(loner, "alpha") == set() and ids(loner, "lone") == {loner_visit.id}
    # Officers with agencies share their statements; the officer of none has its own.
    assert listing._statement.cache_info().currsize == 6


def test_a_page_past_the_end_still_says_how_many_there_are_in_one_statement(
        cast, five, count_queries):
    """The page and its count are one statement: a full page, a short last page and a page
    past the end (no rows, but the count) each cost one query, with and without the cap."""
    officer = cast["officer"]
    with count_queries() as counter:
        first = listing.visit_list(officer, "", 1, 2)
        last = listing.visit_list(officer, "", 3, 2)
        beyond = listing.visit_list(officer, "", 9, 2)
        capped = listing.visit_list(officer, "", 9, 2, cap=3)
    assert counter["n"] == 4
    assert [r.id for r in first.items] == _newest_first(five)[:2] and first.has_next
    assert first.total == 5 and not first.capped
    assert [r.id for r in last.items] == _newest_first(five)[4:] and not last.has_next
    assert beyond.items == [] and beyond.total == 5 and not beyond.capped
    assert capped.items == [] and capped.total == 3 and capped.capped


def test_a_business_s_visits_and_follow_ups_are_one_statement_each_past_the_end_too(
        cast, count_queries):
    """Shop visits and the business's follow-ups: each page with its counts (and the number
    waiting for the shop) in one statement, and a page past the end still counted."""
    from compliance.followups.services import retailer_follow_ups_page
    from compliance.visits.queries import shop_visits

    retailer = cast["shop"].retailer
    now = utcnow()
    visits = [VisitFactory(officer=cast["officer"], premises=cast["shop"],
                           visited_at=now - timedelta(days=n)) for n in range(3)]
    statuses = ["open", "returned", "answered", "closed"]
    follow_ups = [FollowUpFactory(visit=visits[n % 3], status=status,
                                  due_on=now.date() + timedelta(days=10 - n))
                  for n, status in enumerate(statuses)]
    db.session.flush()
    with count_queries() as counter:
        first = shop_visits(retailer.id, 1, 2)
        beyond = shop_visits(retailer.id, 5, 2)
        capped = shop_visits(retailer.id, 5, 2, cap=2)
        fu_first, waiting = retailer_follow_ups_page(retailer.id, 1, 3)
        fu_last, _ = retailer_follow_ups_page(retailer.id, 2, 3)
        fu_beyond, waiting_beyond = retailer_follow_ups_page(retailer.id, 7, 3)
    assert counter["n"] == 6
    assert [r.id for r in first.items] == _newest_first(visits)[:2] and first.has_next
    assert first.total == 3 and beyond.items == [] and beyond.total == 3
    assert capped.total == 2 and capped.capped
    # Not closed first, each half by due date: answered (due +8), returned (+9), open (+10).
    assert [f.id for f in fu_first.items] == [follow_ups[n].id for n in (2, 1, 0)]
    assert [f.id for f in fu_last.items] == [follow_ups[3].id] and not fu_last.has_next
    assert fu_first.total == 4 and waiting == 2  # open and returned wait for the shop
    assert fu_beyond.items == [] and fu_beyond.total == 4 and waiting_beyond == 2


def test_the_list_statements_are_plain_selects_that_a_get_runs_without_a_transaction(cast):
    """A GET runs plain SELECTs in autocommit (compliance/db_reads.py: no BEGIN, no ROLLBACK);
    a statement that opens WITH is not plainly a read, so it would cost two more exchanges."""
    from sqlalchemy.dialects import postgresql

    from compliance.db_reads import plain_select
    from compliance.followups.services import _retailer_follow_ups_statement
    from compliance.visits.queries import _shop_visits_statement

    statements = [listing._statement((kind, search, district, narrow))
                  for kind in ("everyone", "own", "agency and own")
                  for search in (None, "few", "many")
                  for district in (False, True) for narrow in (False, True)]
    statements += [_shop_visits_statement(), _retailer_follow_ups_statement()]
    for statement in statements:
        assert plain_select(str(statement.compile(dialect=postgresql.dialect())))
