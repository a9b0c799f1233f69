"""Empty lists say what to do next, with a link to do it where the reader can."""

from __future__ import annotations

import re

import pytest

from compliance.extensions import db
from compliance.models import Role
from tests.factories import AgencyFactory, PremisesFactory, UserFactory


def _empty_state(page: str, element_id: str) -> str:
    match = re.search(rf'<p class="govuk-body" id="{element_id}">(.*?)</p>', page, re.S)
    assert match, f"no empty state #{element_id}"
    return match.group(1)


@pytest.fixture
def shop():
    premises = PremisesFactory()
    return {
        "premises": premises,
        "manager": UserFactory(role=Role.MANAGER, retailer=premises.retailer),
        "staff": UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises),
        "officer": UserFactory(role=Role.OFFICER, agency=AgencyFactory()),
    }


@pytest.mark.parametrize("who, url, element_id, link", [
    ("staff", "/certificates/", "no-certificates", "/training/"),
    ("staff", "/premises/{p}/refusals/", "no-refusals", "/premises/{p}/refusals/new"),
    ("manager", "/premises/{p}/refusals/", "no-refusals", "/premises/{p}/refusals/new"),
    ("manager", "/training/matrix", "no-staff", "/businesses/{r}/staff/invite"),
    ("manager", "/visits/shop", "no-follow-ups", None),
])
def test_empty_lists_say_what_to_do_next(client, login_as, shop, who, url, element_id, link):
    ids = {"p": shop["premises"].id, "r": shop["premises"].retailer_id}
    if who == "manager" and element_id == "no-staff":
        shop["staff"].role = Role.MANAGER  # a business with managers only
        db.session.flush()
    login_as(shop[who])
    page = client.get(url.format(**ids)).text
    text = _empty_state(page, element_id)
    assert len(re.sub(r"<[^>]+>", "", text).split()) >= 12  # more than "None yet"
    if link:
        assert f'href="{link.format(**ids)}"' in text


@pytest.mark.parametrize("url", ["/visits/priorities", "/visits/"])
def test_officers_empty_priorities_point_to_finding_a_shop(client, login_as, url):
    login_as(UserFactory(role=Role.OFFICER, agency=AgencyFactory()))  # no shop in the service
    text = _empty_state(client.get(url).text, "no-priorities")
    assert "never been visited" in text and 'href="/visits/premises"' in text


def test_no_business_matches_a_search(client, login_as, shop):
    login_as(shop["officer"])
    page = client.get("/businesses/", query_string={"q": "zzzz-nothing"}).text
    assert "Check the spelling" in _empty_state(page, "no-businesses")
