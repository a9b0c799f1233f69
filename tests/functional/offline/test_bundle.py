"""The data bundle a device keeps: checklist version, operations, likely premises (capped)."""

from __future__ import annotations

from compliance.offline import bundle as bundle_module
from tests.factories import PremisesFactory
from tests.visit_factories import OperationFactory, VisitFactory


def test_the_bundle_holds_what_a_visit_needs(client, login_as, cast, checklist):
    officer = login_as(cast["officer"])
    operation = OperationFactory(name="Operation Blade", areas=["North"])
    visited = PremisesFactory(name="Visited Vendor")
    VisitFactory(officer=officer, premises=visited)
    stranger_shop = PremisesFactory(name="Elsewhere Edges")
    VisitFactory(officer=cast["stranger"], premises=stranger_shop)  # another agency's shop
    data = client.get("/offline/api/bundle").get_json()
    assert data["user"] == officer.id
    assert data["checklist_version"] == bundle_module.checklist_version()
    assert {"value": f"{operation.id}|North", "label": "Operation Blade: North"} in \
        data["operations"]
    names = {shop["name"] for shop in data["premises"]}
    assert {"Alpha High Street", "Visited Vendor"} <= names  # never visited; recent visit
    assert "Elsewhere Edges" not in names  # another agency's shop, not the officer's to visit
    alpha = next(s for s in data["premises"] if s["name"] == "Alpha High Street")
    assert alpha["postcode"] == "AB1 2CD" and alpha["reasons"]


def test_the_bundle_is_capped(client, login_as, cast, monkeypatch):
    login_as(cast["officer"])
    for n in range(5):
        PremisesFactory(name=f"Shop {n}")
    monkeypatch.setattr(bundle_module, "MAX_PREMISES", 3)
    data = client.get("/offline/api/bundle").get_json()
    assert len(data["premises"]) == 3


def test_the_checklist_version_changes_with_the_checklist(app, checklist):
    before = bundle_module.checklist_version()
    checklist[0].is_current = False
    assert bundle_module.checklist_version() != before
