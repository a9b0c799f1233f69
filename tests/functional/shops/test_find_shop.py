"""The officer's "find the shop" search: name, postcode with or without its space, town and
business, first by name; a broad search says there are more; what is typed is matched as text
(quotes, %, _ and backslashes are not patterns)."""

from __future__ import annotations

import re

from compliance.models import Role
from tests.factories import AgencyFactory, PremisesFactory, RetailerFactory, UserFactory


def _found(client, search: str) -> list[str]:
    page = client.get("/visits/premises", query_string={"q": search})
    assert page.status_code == 200
    return re.findall(r'govuk-!-font-weight-bold" href="/visits/premises/\d+">([^<]+)</a>',
                      page.text)


def _officer(login_as):
    login_as(UserFactory(role=Role.OFFICER, agency=AgencyFactory()))


def test_each_field_finds_the_shop(client, login_as):
    tools = RetailerFactory(name="Harbour Tools Ltd")
    PremisesFactory(retailer=tools, name="Quayside", town="Portleven", postcode="PL12 3QX")
    PremisesFactory(name="Market Cross", town="Hillcrest", postcode="HC1 9AB")
    _officer(login_as)
    for search in ("quaysi", "portleven", "pl123qx", "PL12 3Q", "harbour tools"):
        assert _found(client, search) == ["Quayside"], search
    assert _found(client, "hillcrest") == ["Market Cross"]
    assert _found(client, "nowhere") == []


def test_what_is_typed_is_matched_as_text(client, login_as):
    for name in ("O'Neill's Hardware", "50% Off Tools", "500 Off Tools", "A_B Knives",
                 "AxB Knives"):
        PremisesFactory(name=name)
    _officer(login_as)
    assert _found(client, "o'neill") == ["O&#39;Neill&#39;s Hardware"]
    assert _found(client, "50%") == ["50% Off Tools"]  # not "500 Off"
    assert _found(client, "%") == []  # not "every shop": no letter or digit matches nothing
    assert _found(client, "a_b") == ["A_B Knives"]  # not AxB
    assert _found(client, "\\") == []
    assert _found(client, "'; drop table premises; --") == []
    assert len(_found(client, "knives")) == 2


def test_a_broad_search_shows_the_first_by_name_and_says_there_are_more(client, login_as):
    chain = RetailerFactory(name="Corner Stores Ltd")
    for n in reversed(range(27)):
        PremisesFactory(retailer=chain, name=f"Corner {n:02d}")
    _officer(login_as)
    page = client.get("/visits/premises?q=corner").text
    assert _found(client, "corner") == [f"Corner {n:02d}" for n in range(25)]
    assert "More than 25 shops match" in page and "shops found" not in page
    assert "25 shops found" not in page
    assert _found(client, "corner 26") == ["Corner 26"]
    assert "1 shop found" in client.get("/visits/premises?q=corner 26").text


def test_one_or_two_characters_find_the_start_of_a_word(client, login_as):
    """Too short for "anywhere" (every name has an "a"): the start of the name, the town,
    the business name or a word in them; the postcode as written, so "E1" is the district
    E1 (and E1W, E10...), never SE1."""
    PremisesFactory(name="High Street Knives", town="Bow", postcode="E1 6AN")
    PremisesFactory(name="Chips and Tools", town="Lambeth", postcode="SE1 7PB")
    PremisesFactory(name="Ely Hardware", town="Ely", postcode="CB7 4DL",
                    retailer=RetailerFactory(name="Hi-Way Stores"))
    _officer(login_as)
    assert _found(client, "E1") == ["High Street Knives"]
    assert _found(client, "se1") == ["Chips and Tools"]
    assert _found(client, "hi") == ["Ely Hardware", "High Street Knives"]  # not cHIps
    assert _found(client, "7p") == ["Chips and Tools"]  # the postcode's second half
    assert _found(client, "a") == ["Chips and Tools"]  # "and"; not lAmbeth, ElY hArdware
    assert _found(client, "ly") == []
    assert _found(client, " b ") == ["High Street Knives"]  # Bow
    assert _found(client, "cb7 4") == ["Ely Hardware"]
    for url in ("/visits/premises", "/visits/list"):  # the field's hint says so
        page = client.get(url).text
        assert 'aria-describedby="q-hint"' in page
        assert "One or two characters find words starting with them" in page
