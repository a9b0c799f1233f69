"""List pages run a constant number of queries however many rows they show."""

import pytest

from compliance import audit
from compliance.audit import Actor
from compliance.models import Role
from tests.factories import AgencyFactory, PremisesFactory, RetailerFactory, UserFactory


def _queries_for(client, count_queries, url) -> int:
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter["n"]


def _grow(kind: str, n: int) -> None:
    for _ in range(n):
        if kind == "businesses":
            PremisesFactory(retailer=RetailerFactory())
        elif kind == "users":
            UserFactory(role=Role.OFFICER, agency=AgencyFactory())
        elif kind == "audit":
            audit.record(Actor(UserFactory(), "192.0.2.1"), "sign_in", "Signed in")


@pytest.mark.parametrize("kind, url, who", [
    ("businesses", "/businesses/", Role.OFFICER),
    ("users", "/admin/users", Role.ADMIN),
    ("audit", "/admin/audit", Role.ADMIN),
    ("agencies", "/admin/agencies", Role.ADMIN),
    ("businesses", "/offline/api/bundle", Role.OFFICER),  # never-visited shops: all listed
    ("businesses", "/offline/visit", Role.OFFICER),
])
def test_list_pages_use_constant_queries(client, login_as, count_queries, kind, url, who):
    login_as(UserFactory(role=who, agency=AgencyFactory() if who == Role.OFFICER else None))
    if kind == "agencies":
        AgencyFactory()
        one = _queries_for(client, count_queries, url)
        for _ in range(19):
            UserFactory(role=Role.OFFICER, agency=AgencyFactory())
    else:
        _grow(kind, 1)
        one = _queries_for(client, count_queries, url)
        _grow(kind, 19)
    assert _queries_for(client, count_queries, url) == one


def test_business_page_uses_constant_queries(client, login_as, count_queries):
    premises = PremisesFactory()
    manager = login_as(UserFactory(role=Role.MANAGER, retailer=premises.retailer))
    url = f"/businesses/{manager.retailer_id}"
    UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
    one = _queries_for(client, count_queries, url)
    for _ in range(19):
        extra = PremisesFactory(retailer=premises.retailer)
        UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=extra)
    assert _queries_for(client, count_queries, url) == one
