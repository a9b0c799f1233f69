"""The operation report's tallies (compliance/tallies): after every submission and change
through the real services they equal a fresh rebuild from the visits, and the report reads a
fixed few queries from them."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest
from sqlalchemy import text

from compliance import tallies
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models.base import utcnow
from compliance.operations.reports import operation_report
from compliance.visits import editing, services
from tests.factories import PremisesFactory
from tests.visit_factories import (
    CheckFactory,
    FindingFactory,
    OfficerFactory,
    OperationFactory,
    PurchaseFactory,
    VisitFactory,
)

_KEYS = count(1)


def _agree() -> dict:
    """The stored tallies, checked against a rebuild worked out from the visits now."""
    connection = db.session.connection()
    assert tallies.stored(connection) == tallies.fresh(connection)
    return tallies.stored(connection)[0]


def _figures(operation, area: str = tallies.WHOLE) -> dict[str, int]:
    return {k: n for (o, a, k), n in _agree().items() if o == operation.id and a == area}


@pytest.fixture
def world():
    officer = OfficerFactory()
    return {"actor": Actor(officer, "192.0.2.1"),
            "op": OperationFactory(areas=["North", "South"]),
            "other": OperationFactory(areas=["East"]),
            "checks": [CheckFactory(), CheckFactory(), CheckFactory()]}


def _edit(visit, reason: str = "Corrected after the visit") -> services.Edit:
    return services.Edit(visit.lock_version, reason if visit.status == "submitted" else None)


def _visit(world, shop, *, area="North", sold=True, answers=("no", "partly", "yes")):
    """A test-purchase visit recorded section by section, as a draft, then submitted."""
    actor = world["actor"]
    before = _figures(world["op"])
    visit, _ = services.start_visit(shop, services.VisitDetails(
        visited_at=utcnow() - timedelta(hours=1), visit_type="test_purchase",
        operation_id=world["op"].id, area=area), f"{next(_KEYS):032x}", actor)
    visit = services.load_visit(visit.id)
    editing.save_test_purchase(visit, services.PurchaseAttempt(
        volunteer_age=15, item_attempted="Kitchen knife", id_asked=False, sold=sold),
        _edit(visit), actor)
    checks = world["checks"]
    editing.save_findings(visit, checks, {c.id: (a, None) for c, a in zip(
        checks, answers, strict=True)}, _edit(visit), actor)
    editing.save_outcome(visit, services.VisitOutcome(
        "non_compliant", ["posters", "leaflets"], "Put a sign up"), _edit(visit), actor)
    assert _figures(world["op"]) == before  # a draft counts nowhere
    services.submit_visit(visit, visit.lock_version, actor, mail=None)
    return services.load_visit(visit.id)


def _details(visit, **changes) -> services.VisitDetails:
    values = {"visited_at": visit.visited_at, "visit_type": visit.visit_type,
              "operation_id": visit.operation_id, "area": visit.area}
    return services.VisitDetails(**{**values, **changes})


def test_tallies_follow_every_submission_and_change(world):
    op, other, actor = world["op"], world["other"], world["actor"]
    first, second = PremisesFactory(), PremisesFactory()
    one, two, three = world["checks"]
    a = _visit(world, first)
    assert _figures(op) == {
        "visits": 1, "premises": 1, "purchases": 1, "sold": 1, "advice": 1,
        "outcome:non_compliant": 1, "material:posters": 1, "material:leaflets": 1,
        f"unmet:{one.key}": 1, f"unmet:{two.key}": 1}
    assert _figures(op, "North") == _figures(op)
    b = _visit(world, first, area="South", sold=False, answers=("no", "yes", "na"))
    assert _figures(op)["premises"] == 1  # the same shop, visited twice
    assert _figures(op, "South")["premises"] == 1
    assert (_figures(op)["visits"], _figures(op)["sold"], _figures(op)[f"unmet:{one.key}"]) \
        == (2, 1, 2)

    editing.save_outcome(a, services.VisitOutcome("compliant", ["leaflets"], None),
                         _edit(a), actor)
    north = _figures(op, "North")
    assert north["outcome:compliant"] == 1 and "outcome:non_compliant" not in north
    assert "material:posters" not in north and "advice" not in north

    editing.save_test_purchase(a, services.PurchaseAttempt(
        volunteer_age=15, item_attempted="Kitchen knife", id_asked=True, sold=False),
        _edit(a), actor)
    assert "sold" not in _figures(op) and _figures(op)["purchases"] == 2

    editing.save_findings(a, world["checks"], {one.id: ("yes", None), two.id: ("not_checked",
                                                                                None),
                                               three.id: ("partly", "Sign half hidden")},
                          _edit(a), actor)
    assert _figures(op, "North") == {
        "visits": 1, "premises": 1, "purchases": 1, "outcome:compliant": 1,
        "material:leaflets": 1, f"unmet:{three.key}": 1}

    editing.save_details(a, _details(a, area="South"), _edit(a), actor)  # moves area
    assert _figures(op, "North") == {}
    assert _figures(op, "South")["visits"] == 2 and _figures(op, "South")["premises"] == 1

    editing.save_details(b, _details(b, operation_id=other.id, area="East"), _edit(b), actor)
    assert _figures(op)["premises"] == 1 and _figures(op)["visits"] == 1
    assert _figures(other, "East")["visits"] == 1 and _figures(other)["premises"] == 1

    c = _visit(world, second)
    editing.save_details(c, _details(c, operation_id=None, area=None), _edit(c), actor)
    assert _figures(op)["visits"] == 1 and _figures(op)["premises"] == 1
    editing.save_details(c, _details(c, operation_id=op.id, area="North"), _edit(c), actor)
    assert _figures(op)["premises"] == 2 and _figures(op, "North")["sold"] == 1

    report = operation_report(op)
    assert (report.visit_count, report.premises_visited, report.test_purchases,
            report.failed) == (2, 2, 2, 1)
    assert [i.count for i in report.unmet] == [1, 1, 1]
    assert [(a.area, a.visits, a.test_purchases, a.failed) for a in report.by_area] == [
        ("North", 1, 1, 1), ("South", 1, 1, 0)]
    assert report.advice.total == 1 and len(report.advice.items) == 1


def test_factories_and_deletes_keep_tallies_too(world):
    """Rows written through the ORM by any path, not only the visit services, are counted."""
    op = world["op"]
    visit = VisitFactory(operation_id=op.id, area="North")
    PurchaseFactory(visit=visit, premises_id=visit.premises_id, sold=True)
    finding = FindingFactory(visit=visit, item=world["checks"][0],
                             checklist_item_id=world["checks"][0].id, answer="no")
    draft = VisitFactory(operation_id=op.id, status="draft", submitted_at=None)
    assert _figures(op)["sold"] == 1 and _figures(op)[f"unmet:{finding.item.key}"] == 1
    db.session.delete(finding)
    db.session.flush()
    assert f"unmet:{world['checks'][0].key}" not in _figures(op)
    draft.status = "submitted"
    db.session.flush()
    assert _figures(op)["visits"] == 2 and _figures(op)["premises"] == 2


def test_retally_rebuilds_after_rows_written_around_the_portal(world, runner):
    op = world["op"]
    visit = VisitFactory(operation_id=op.id, area="North")
    db.session.execute(text("UPDATE visits SET area = 'South' WHERE id = :id"),
                       {"id": visit.id})  # as the seeder's COPY does: no ORM, no upkeep
    connection = db.session.connection()
    assert tallies.stored(connection) != tallies.fresh(connection)
    result = runner.invoke(args=["operations", "retally"])
    assert result.exit_code == 0 and "Rebuilt" in result.output
    assert _figures(op, "South")["visits"] == 1 and _figures(op, "North") == {}


def test_report_reads_a_fixed_few_queries(world, count_queries):
    op = world["op"]
    for i in range(30):
        visit = VisitFactory(operation_id=op.id, area="North" if i % 2 else "South",
                             advice_given=f"Advice {i}")
        PurchaseFactory(visit=visit, premises_id=visit.premises_id, sold=i % 3 == 0)
        FindingFactory(visit=visit, item=world["checks"][i % 3],
                       checklist_item_id=world["checks"][i % 3].id, answer="no")
    db.session.refresh(op)  # loaded, as the view has it
    for area, page in ((None, 1), ("North", 1), (None, 2)):
        with count_queries() as counter:
            report = operation_report(op, area, advice_page=page)
        assert counter["n"] == 3, (area, page)  # tallies, checks' wording, advice page
        assert report.advice.items
    with count_queries() as counter:
        assert not operation_report(op, None, advice_page=9).advice.items
    assert counter["n"] == 2  # past the last page: no advice query at all
