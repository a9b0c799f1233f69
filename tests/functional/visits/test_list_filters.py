"""The priority list and the visit list: pages, postcode-district and agency filters."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from compliance.models.base import utcnow
from tests.factories import AgencyFactory, PremisesFactory
from tests.visit_factories import (
    FollowUpFactory,
    OfficerFactory,
    PurchaseFactory,
    VisitFactory,
)


@pytest.fixture
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)


def _shops(page: str) -> list[str]:
    """Shop names in the priority table, in order."""
    return re.findall(r'href="/visits/premises/\d+">([^<]+)</a>', page)


def _links(page: str, rel: str) -> list[str]:
    return [unescape(h) for h in re.findall(
        rf'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="{rel}"', page)]


def test_priority_list_pages_through_every_shop_once(client, login_as, cast, small_pages):
    for n in range(7):
        PremisesFactory(name=f"Unvisited {n}", postcode="ZZ9 9ZZ")
    login_as(cast["officer"])
    first = client.get("/visits/priorities?district=zz9").text
    assert "8 shops" not in first and "7 shops" in first and "showing 1 to 3" in first
    assert len(_shops(first)) == 3
    nxt = _links(first, "next")
    assert nxt and "district=zz9" in nxt[0] and "page=2" in nxt[0]
    seen = _shops(first)
    url = nxt[0]
    while url:
        page = client.get(url).text
        seen += _shops(page)
        links = _links(page, "next")
        url = links[0] if links else None
    assert sorted(seen) == [f"Unvisited {n}" for n in range(7)]
    assert 'aria-label="Pages"' in first and "Page 1 of 3" in first
    last = client.get("/visits/priorities?district=ZZ9&page=3").text
    assert _shops(last) == seen[6:] and not _links(last, "next") and _links(last, "prev")
    beyond = client.get("/visits/priorities?district=ZZ9&page=9").text
    assert _shops(beyond) == [] and "7 shops" in beyond


def test_a_long_priority_list_counts_to_a_cap_and_still_pages_to_its_end(
        client, login_as, cast, small_pages, monkeypatch):
    """Past TOTAL_CAP shops the list says "More than" and counts no further (the largest
    agency's thousands were most of its time); next and previous still reach every shop."""
    from compliance.priorities import services

    monkeypatch.setattr(services, "TOTAL_CAP", 4)
    for n in range(7):
        PremisesFactory(name=f"Unvisited {n}", postcode="ZZ9 9ZZ")
    login_as(cast["officer"])
    first = client.get("/visits/priorities?district=zz9").text
    assert "More than 4 shops" in first and "7 shops" not in first
    assert "showing 1 to 3" in first and "Page 1 of" not in first and "Page 1" in first
    seen, url = _shops(first), _links(first, "next")[0]
    while url:
        page = client.get(url).text
        assert "More than 4 shops" in page
        seen += _shops(page)
        links = _links(page, "next")
        url = links[0] if links else None
    assert sorted(seen) == [f"Unvisited {n}" for n in range(7)]  # every one, each once
    last = client.get("/visits/priorities?district=ZZ9&page=3").text
    assert len(_shops(last)) == 1 and not _links(last, "next") and _links(last, "prev")
    beyond = client.get("/visits/priorities?district=ZZ9&page=9").text
    assert _shops(beyond) == [] and "More than 4 shops" in beyond


def test_priority_list_filters_by_postcode_district(client, login_as, cast):
    for name, postcode in (("In SW1A", "SW1A 1AA"), ("Also SW1A", "SW1A 2BB"),
                           ("In SW1", "SW1 1AA"), ("In EX1", "EX1 1AA")):
        PremisesFactory(name=name, postcode=postcode)
    login_as(cast["officer"])
    page = client.get("/visits/priorities?district=sw1a").text
    assert sorted(_shops(page)) == ["Also SW1A", "In SW1A"]
    assert 'name="district" type="text" value="sw1a"' in page or 'value="sw1a"' in page
    assert _shops(client.get("/visits/priorities?district=SW1").text) == ["In SW1"]
    empty = client.get("/visits/priorities?district=NE1").text
    assert _shops(empty) == [] and "No shops in this area or agency need a visit" in empty
    wrong = client.get("/visits/priorities?district=%25%3B--").text
    assert "Enter a postcode district, like SW1A or EX1" in wrong
    assert 'href="#district"' in wrong and len(_shops(wrong)) == 5  # unfiltered: + the cast's


def test_admins_filter_priorities_by_agency_and_officers_cannot(client, login_as, cast):
    ours, theirs = AgencyFactory(name="Northshire Police"), AgencyFactory(name="Southshire TS")
    for agency, name in ((ours, "North shop"), (theirs, "South shop")):
        shop = PremisesFactory(name=name)
        visit = VisitFactory(officer=OfficerFactory(agency=agency), premises=shop)
        PurchaseFactory(visit=visit, premises_id=shop.id, sold=True)
        PremisesFactory(name=f"{name} never", postcode="NN1 1NN")
    login_as(cast["admin"])
    page = client.get("/visits/priorities").text
    assert '<select class="govuk-select" id="agency" name="agency"' in page
    assert '<label class="govuk-label" for="agency">' in page
    # An agency's list is the shops its officers visited; the never-visited stay off it.
    assert _shops(client.get(f"/visits/priorities?agency={ours.id}").text) == ["North shop"]
    assert {"North shop", "South shop", "North shop never"} <= set(_shops(page))
    login_as(cast["officer"])
    officer_page = client.get(f"/visits/priorities?agency={theirs.id}").text
    assert 'id="agency"' not in officer_page
    assert "North shop never" in _shops(officer_page)  # the filter was ignored


def _visit_rows(page: str) -> list[str]:
    return re.findall(r'<td class="govuk-table__cell">([^<]+)<br><span class="govuk-body-s">',
                      page)


def test_visit_list_searches_filters_and_keeps_both_across_pages(client, login_as, cast,
                                                                small_pages):
    officer = cast["officer"]
    for n in range(5):
        VisitFactory(officer=officer, premises=PremisesFactory(
            name=f"Blade Corner {n}", postcode="SW1A 1AA"),
            visited_at=utcnow() - timedelta(days=n + 1))
    VisitFactory(officer=officer, premises=PremisesFactory(name="Blade Corner far",
                                                           postcode="EX1 1AA"))
    VisitFactory(officer=officer, premises=PremisesFactory(name="100% Knives",
                                                           postcode="SW1A 3CC"))
    login_as(officer)
    page = client.get("/visits/list?q=blade&district=SW1A").text
    assert "5 visits" in page
    assert _visit_rows(page) == ["Blade Corner 0", "Blade Corner 1", "Blade Corner 2"]
    nxt = _links(page, "next")[0]
    assert "q=blade" in nxt and "district=SW1A" in nxt
    assert _visit_rows(client.get(nxt).text) == ["Blade Corner 3", "Blade Corner 4"]
    assert "6 visits" in client.get("/visits/list?q=BLADE").text
    # A literal % is searched for, not a wildcard.
    assert _visit_rows(client.get("/visits/list?q=100%25").text) == ["100% Knives"]
    assert "0 visits" in client.get("/visits/list?q=%25%25%25").text
    # A NUL (PostgreSQL refuses one in a query) is dropped, not a 500.
    nul = client.get("/visits/list", query_string={"q": "100\x00%", "district": "sw1a\x00"})
    assert nul.status_code == 200 and _visit_rows(nul.text) == ["100% Knives"]
    assert "Enter a postcode district" not in nul.text
    none = client.get("/visits/list?district=NE1").text
    assert "No visits match" in none and _visit_rows(none) == []
    assert "Enter a postcode district" in client.get("/visits/list?district=12345").text


def test_admins_filter_the_visit_list_by_agency(client, login_as, cast):
    other = OfficerFactory(agency=AgencyFactory(name="Elsewhere Trading Standards"))
    VisitFactory(officer=cast["officer"], premises=PremisesFactory(name="Our shop"))
    VisitFactory(officer=other, premises=PremisesFactory(name="Their shop"))
    login_as(cast["admin"])
    assert set(_visit_rows(client.get("/visits/list").text)) == {"Our shop", "Their shop"}
    page = client.get(f"/visits/list?agency={other.agency_id}").text
    assert _visit_rows(page) == ["Their shop"]
    assert f'<option value="{other.agency_id}" selected>' in page
    login_as(cast["officer"])
    assert _visit_rows(client.get(f"/visits/list?agency={other.agency_id}").text) == [
        "Our shop"]


def test_dashboard_shows_only_the_top_of_the_priority_list(client, login_as, cast):
    for n in range(8):
        PremisesFactory(name=f"Waiting {n}")
    login_as(cast["officer"])
    page = client.get("/visits/").text
    top = page[page.index("Top visit priorities"):]
    assert len(_shops(top)) == 5
    assert "See the full priority list" in top


def test_shop_visits_page_pages_visits_and_follow_ups(client, login_as, cast, small_pages):
    shop = cast["shop"]
    for n in range(4):
        visit = VisitFactory(officer=cast["officer"], premises=shop,
                             visited_at=utcnow() - timedelta(days=n + 1),
                             advice_given=f"Advice {n}")
        FollowUpFactory(visit=visit, action=f"Action {n}", status="closed" if n else "open")
    PurchaseFactory(visit=visit, premises_id=shop.id, sold=True)  # on the oldest visit
    login_as(cast["manager"])
    page = client.get("/visits/shop").text
    assert "1 follow-up needs your answer." in page and "Showing 1 to 3 of 4" in page
    assert re.findall(r"Action (\d)", page) == ["0", "1", "2"]  # open first
    assert re.findall(r"Advice (\d)", page) == ["0", "1", "2"]
    assert 'aria-label="Pages of visits"' in page and 'aria-label="Pages of follow-ups"' in page
    older = client.get("/visits/shop?page=2&follow_ups_page=2").text
    assert re.findall(r"Advice (\d)", older) == ["3"] and "Test purchase failed" in older
    assert re.findall(r"Action (\d)", older) == ["3"]
    assert "There is no page 5." in client.get("/visits/shop?page=5").text
