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


def test_the_offline_form_and_bundle_offer_the_operations_near_today(
        app, client, login_as, cast, checklist, monkeypatch):
    """As the online visit form: the operations within VISIT_FORM_OPERATION_DAYS of today, at
    most VISIT_FORM_OPERATIONS, running ones first (years of them made the offline page 181 KB
    and the bundle every operation's areas). A visit recorded offline is still checked
    against every operation when it syncs (test_sync)."""
    from datetime import timedelta

    from compliance.models.base import utcnow

    monkeypatch.setitem(app.config, "VISIT_FORM_OPERATIONS", 2)
    today = utcnow().date()
    running = OperationFactory(name="Running Week", areas=["North"])
    soon = OperationFactory(name="Next Month", starts_on=today + timedelta(days=30),
                            ends_on=today + timedelta(days=37), areas=["North"])
    OperationFactory(name="Later This Year", starts_on=today + timedelta(days=90),
                     ends_on=today + timedelta(days=97), areas=["North"])
    OperationFactory(name="Two Years Ago", starts_on=today - timedelta(days=730),
                     ends_on=today - timedelta(days=723), areas=["North"])
    login_as(cast["officer"])
    offered = {o["label"] for o in client.get("/offline/api/bundle").get_json()["operations"]}
    assert {label.split(":")[0] for label in offered} == {"Running Week", "Next Month"}
    assert "Running Week: North" in offered
    page = client.get("/offline/visit").text
    assert f'value="{running.id}|North"' in page and f'value="{soon.id}|North"' in page
    assert "Later This Year" not in page and "Two Years Ago" not in page
