"""Visit lists, the dashboard, the priority list and the report: constant queries as data grows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from compliance.extensions import db
from compliance.models import Assessment, Role, VisitChange
from compliance.models.base import utcnow
from tests.factories import PremisesFactory, UserFactory
from tests.visit_factories import (
    CheckFactory,
    FindingFactory,
    FollowUpFactory,
    OperationFactory,
    PurchaseFactory,
    VisitFactory,
)


def _queries(client, count_queries, url) -> int:
    with count_queries() as counter:
        response = client.get(url)
        assert response.status_code == 200, url
        response.get_data()  # a streamed body (the CSV) runs its queries as it is read
    return counter["n"]


@pytest.fixture
def world(cast):
    """Rows that every page lists: each call adds one shop with everything going on."""
    operation = OperationFactory(areas=["North"])
    check = CheckFactory()

    def grow(n: int) -> None:
        for _ in range(n):
            shop = PremisesFactory(retailer=cast["shop"].retailer)
            visit = VisitFactory(officer=cast["officer"], premises=shop, area="North",
                                 operation_id=operation.id, visit_type="test_purchase")
            PurchaseFactory(visit=visit, premises_id=shop.id)
            FindingFactory(visit=visit, item=check, checklist_item_id=check.id, answer="no")
            FollowUpFactory(visit=visit, due_on=utcnow().date() - timedelta(days=1))
            VisitFactory(officer=cast["officer"], premises=shop, status="draft",
                         submitted_at=None)
            db.session.add(Assessment(premises_id=shop.id, status="submitted",
                                      started_by_id=cast["manager"].id, profile={},
                                      submitted_at=utcnow(), rating="red"))
            PremisesFactory()  # a shop nobody has visited
            UserFactory(role=Role.STAFF, retailer=shop.retailer, premises=shop)
        db.session.flush()

    return {"grow": grow, "operation": operation}


@pytest.mark.parametrize("who, url", [
    ("officer", "/visits/"),
    ("admin", "/visits/"),
    ("officer", "/visits/list"),
    ("officer", "/visits/list?q=shop"),
    ("officer", "/visits/priorities"),
    ("admin", "/visits/priorities"),
    ("officer", "/visits/priorities?district=TE1"),
    ("admin", "/visits/priorities?district=TE1&agency={agency}"),
    ("officer", "/visits/list?q=shop&district=TE1&page=2"),
    ("admin", "/visits/list?agency={agency}&district=te1"),
    ("officer", "/visits/operations/{operation}/report?page=2"),
    ("manager", "/visits/shop?page=2&follow_ups_page=2"),
    ("officer", "/visits/operations"),
    ("officer", "/visits/operations/{operation}/report"),
    ("officer", "/visits/operations/{operation}/report?area=North"),
    ("officer", "/visits/premises?q=shop"),
    ("manager", "/visits/shop"),
])
def test_visit_pages_use_constant_queries(app, monkeypatch, client, login_as, count_queries,
                                          cast, world, who, url):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)  # so that 20 rows make several pages
    login_as(cast[who])
    url = url.format(operation=world["operation"].id, agency=cast["officer"].agency_id)
    world["grow"](1)
    one = _queries(client, count_queries, url)
    world["grow"](19)
    assert _queries(client, count_queries, url) == one


def test_visit_page_uses_constant_queries_however_many_findings(client, login_as,
                                                                count_queries, cast):
    visit = VisitFactory(officer=cast["officer"], premises=cast["shop"])
    login_as(cast["officer"])
    FindingFactory(visit=visit, item=(c := CheckFactory()), checklist_item_id=c.id)
    FollowUpFactory(visit=visit)
    one = _queries(client, count_queries, f"/visits/{visit.id}")
    summary = _queries(client, count_queries, f"/visits/{visit.id}/summary")
    for _ in range(19):
        FindingFactory(visit=visit, item=(c := CheckFactory()), checklist_item_id=c.id)
        FollowUpFactory(visit=visit, action=f"Action {_}")
    assert _queries(client, count_queries, f"/visits/{visit.id}") == one
    assert _queries(client, count_queries, f"/visits/{visit.id}/summary") == summary


def test_visit_history_uses_constant_queries_however_many_changes(client, login_as,
                                                                  count_queries, cast):
    visit = VisitFactory(officer=cast["officer"], premises=cast["shop"])
    login_as(cast["officer"])

    def change(n: int) -> None:
        for _ in range(n):
            before, after = OperationFactory(), OperationFactory()
            db.session.add(VisitChange(
                visit_id=visit.id, changed_by_id=cast["colleague"].id, reason="Operation",
                changes={"operation_id": {"from": before.id, "to": after.id}}))
        db.session.flush()

    change(1)
    one = _queries(client, count_queries, f"/visits/{visit.id}")
    change(19)
    assert _queries(client, count_queries, f"/visits/{visit.id}") == one
