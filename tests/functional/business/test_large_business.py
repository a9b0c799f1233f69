"""A large business's page and training matrix come a page at a time."""

from __future__ import annotations

import re
from html import unescape

import pytest

from compliance.models import Role
from tests.factories import PremisesFactory, RetailerFactory, UserFactory


@pytest.fixture
def chain(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)
    retailer = RetailerFactory(name="Big Chain Ltd")
    shops = [PremisesFactory(retailer=retailer, name=f"Branch {n}") for n in range(5)]
    manager = UserFactory(role=Role.MANAGER, retailer=retailer, name="Aaron Manager")
    for n in range(6):
        UserFactory(role=Role.STAFF, retailer=retailer, premises=shops[n % 5],
                    name=f"Staff {n}", active=n != 0)
    return retailer, manager


def _next(page: str, label: str) -> str:
    nav = re.search(rf'<nav class="govuk-pagination"[^>]*aria-label="{label}">(.*?)</nav>',
                    page, re.S).group(1)
    return unescape(re.search(r'href="([^"]+)" rel="next"', nav).group(1))


def test_business_page_pages_premises_and_people(client, login_as, chain):
    retailer, manager = chain
    login_as(manager)
    page = client.get(f"/businesses/{retailer.id}").text
    assert re.findall(r">(Branch \d)</a>", page) == ["Branch 0", "Branch 1", "Branch 2"]
    assert "5 premises, showing 1 to 3." in page and "7 people, showing 1 to 3." in page
    # Active first, managers first, then by name; the deactivated leaver last.
    assert re.findall(r'<td class="govuk-table__cell">((?:Staff \d|Aaron Manager))', page) == [
        "Aaron Manager", "Staff 1", "Staff 2"]
    more_premises = _next(page, "Pages of premises")
    assert "premises_page=2" in more_premises
    second = client.get(more_premises).text
    assert re.findall(r">(Branch \d)</a>", second) == ["Branch 3", "Branch 4"]
    people_url = _next(second, "Pages of people")
    assert "premises_page=2" in people_url and "people_page=2" in people_url
    third = client.get(people_url).text
    assert re.findall(r'<td class="govuk-table__cell">(Staff \d)', third) == [
        "Staff 3", "Staff 4", "Staff 5"]
    last = client.get(f"/businesses/{retailer.id}?people_page=3").text
    assert re.findall(r'<td class="govuk-table__cell">(Staff \d)', last) == ["Staff 0"]


def test_training_matrix_pages_people_and_the_csv_has_everyone(client, login_as, chain):
    retailer, manager = chain
    login_as(manager)
    page = client.get("/training/matrix").text
    assert "7 people, showing 1 to 3." in page
    assert len(re.findall(r'<tr class="govuk-table__row">\s*<td', page)) == 3
    third = client.get("/training/matrix?page=3").text
    assert "Staff 0" in third and "Staff 1" not in third
    download = client.get("/training/matrix.csv").data.decode("utf-8-sig")
    assert len(download.strip().splitlines()) == 8  # header and all seven people
    assert "There is no page 9." in client.get("/training/matrix?page=9").text
