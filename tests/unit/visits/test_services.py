"""Visit services without HTTP: the failed-test-purchase rule, idempotency, locking, claims."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from compliance.audit import Actor
from compliance.business.services import PremisesDetails
from compliance.extensions import db
from compliance.followups import services as followups
from compliance.models import AuditEvent, Jurisdiction, Visit
from compliance.models.base import utcnow
from compliance.operations.charts import bar_chart
from compliance.operations.reports import Count
from compliance.operations.services import parse_areas, split_operation_area
from compliance.shops import services as premises
from compliance.visits import editing, services
from tests.factories import PremisesFactory
from tests.visit_factories import OfficerFactory, PurchaseFactory, VisitFactory


@pytest.fixture
def officer():
    return OfficerFactory()


@pytest.fixture
def actor(officer):
    return Actor(officer, "192.0.2.1")


def _details(**overrides) -> services.VisitDetails:
    values = {"visited_at": utcnow(), "visit_type": "engagement"}
    values.update(overrides)
    return services.VisitDetails(**values)


def _failed(officer, shop, days_ago: int = 3, status: str = "submitted"):
    visit = VisitFactory(officer=officer, premises=shop, status=status,
                         visited_at=utcnow() - timedelta(days=days_ago))
    return PurchaseFactory(visit=visit, premises_id=shop.id, sold=True)


def test_unresolved_failure_counts_submitted_sales_only(officer):
    shop, other, drafted = PremisesFactory(), PremisesFactory(), PremisesFactory()
    _failed(officer, shop)
    _failed(officer, drafted, status="draft")
    PurchaseFactory(visit=VisitFactory(officer=officer, premises=other), premises_id=other.id,
                    sold=False)
    assert services.has_unresolved_failed_test_purchase(shop.id)
    assert not services.has_unresolved_failed_test_purchase(other.id)
    assert not services.has_unresolved_failed_test_purchase(drafted.id)
    assert services.premises_with_unresolved_failed_test_purchase(
        [shop.id, other.id, drafted.id]) == {shop.id}
    assert services.premises_with_unresolved_failed_test_purchase([]) == set()


@pytest.mark.parametrize("visit_type, sold, days_ago, clears", [
    ("test_purchase", False, 0, True),    # a later pass
    ("follow_up", None, 0, True),         # a later follow-up visit
    ("engagement", None, 0, False),       # an ordinary visit does not
    ("test_purchase", True, 0, False),    # a later failure leaves it unresolved
    ("test_purchase", False, 10, False),  # a pass before the failure does not count
])
def test_what_clears_a_failed_test_purchase(officer, actor, visit_type, sold, days_ago,
                                            clears):
    shop = PremisesFactory()
    failure = _failed(officer, shop, days_ago=3)
    later = VisitFactory(officer=officer, premises=shop, visit_type=visit_type,
                         visited_at=utcnow() - timedelta(days=days_ago))
    if sold is not None:
        PurchaseFactory(visit=later, premises_id=shop.id, sold=sold)
    cleared = services.clear_earlier_failures(services.load_visit(later.id), actor)
    assert (failure in cleared) is clears
    assert (failure.resolved_by_visit_id == later.id) is clears
    events = db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "test_purchase_cleared"))
    assert events == (1 if clears else 0)


def test_submitting_a_sale_audits_the_failure(officer, actor):
    shop = PremisesFactory()
    visit = VisitFactory(officer=officer, premises=shop, status="draft", submitted_at=None,
                         visit_type="test_purchase")
    PurchaseFactory(visit=visit, premises_id=shop.id)
    loaded = services.load_visit(visit.id)
    assert services.submit_visit(loaded, loaded.lock_version, actor, mail=None)
    assert not services.submit_visit(loaded, loaded.lock_version, actor,
                                     mail=None)  # again: nothing
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "test_purchase_failed"))
    assert event.target_type == "TestPurchase" and event.details["premises_id"] == shop.id


def test_correcting_a_sale_to_a_refusal_is_audited(officer, actor):
    shop = PremisesFactory()
    purchase = _failed(officer, shop)
    visit = services.load_visit(purchase.visit_id)
    editing.save_test_purchase(visit, services.PurchaseAttempt(
        volunteer_age=15, item_attempted="Kitchen knife", id_asked=True, sold=False),
        services.Edit(visit.lock_version, "Volunteer mis-heard"), actor)
    assert not services.has_unresolved_failed_test_purchase(shop.id)
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "test_purchase_cleared"))
    assert event.details["reason"] == "corrected"


def test_start_visit_is_idempotent(officer, actor):
    shop = PremisesFactory()
    first, created = services.start_visit(shop, _details(), "a" * 32, actor)
    again, created_again = services.start_visit(shop, _details(), "a" * 32, actor)
    assert created and not created_again and first.id == again.id
    with pytest.raises(services.KeyInUse):
        services.start_visit(shop, _details(), "a" * 32, Actor(OfficerFactory()))


def test_start_visit_survives_a_race_on_the_same_key(officer, actor, monkeypatch):
    """Two requests with one key: the loser's insert fails, and it returns the winner's."""
    shop = PremisesFactory()
    winner, _ = services.start_visit(shop, _details(), "b" * 32, actor)
    looked = []
    real = services.visit_by_key

    def first_misses(key):
        looked.append(key)
        return None if len(looked) == 1 else real(key)

    monkeypatch.setattr(services, "visit_by_key", first_misses)
    loser, created = services.start_visit(shop, _details(), "b" * 32, actor)
    assert not created and loser.id == winner.id
    assert db.session.scalar(select(func.count(Visit.id))) == 1


def test_a_lost_update_becomes_a_conflict(officer, actor):
    """The ORM's version check catches a change made after the visit was read."""
    visit = services.load_visit(VisitFactory(officer=officer).id)
    read_version = visit.lock_version
    db.session.execute(update(Visit).where(Visit.id == visit.id)
                       .values(lock_version=Visit.lock_version + 1))
    outcome = services.VisitOutcome(outcome="compliant", materials=[])
    with pytest.raises(services.VisitConflict):
        editing.save_outcome(visit, outcome, services.Edit(read_version, "why"), actor)


def test_a_stale_form_is_a_conflict_unless_nothing_changed(officer, actor):
    visit = services.load_visit(VisitFactory(officer=officer, outcome="compliant",
                                             materials=[], advice_given=None,
                                             officer_notes=None).id)
    same = services.VisitOutcome(outcome="compliant", materials=[])
    assert not editing.save_outcome(visit, same, services.Edit(visit.lock_version - 1), actor)
    with pytest.raises(services.VisitConflict):
        editing.save_outcome(visit, services.VisitOutcome(outcome="referred", materials=[]),
                             services.Edit(visit.lock_version - 1, "why"), actor)
    with pytest.raises(services.ReasonRequired):
        editing.save_outcome(visit, services.VisitOutcome(outcome="referred", materials=[]),
                             services.Edit(visit.lock_version, "  "), actor)


def test_claim_codes_are_typeable_and_unique(actor):
    codes = {premises.new_claim_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 14 and code.count("-") == 2
        assert set(code.replace("-", "")) <= set(premises.CLAIM_ALPHABET)
    assert not set("01ILO") & set(premises.CLAIM_ALPHABET)
    assert premises.normalise_claim_code(" 7kqm rw3d-xhpa ") == "7KQM-RW3D-XHPA"
    shop, created = premises.add_unregistered_premises(PremisesDetails(
        name="Corner Knives", address_line_1="1 Road", address_line_2=None, town="Town",
        postcode="ex1 1aa", jurisdiction=Jurisdiction.ENGLAND_WALES), actor)
    assert created and premises.claimable_premises(shop.claim_code.lower()).id == shop.id
    with pytest.raises(premises.InvalidClaimCode):
        premises.claimable_premises("")


def test_follow_up_states(officer, actor):
    visit = VisitFactory(officer=officer)
    details = followups.FollowUpDetails(action="Fix the sign", due_on=date.today())
    item, created = followups.raise_follow_up(visit, details, actor, mail=None)
    assert created and item.status == "open" and not item.is_overdue
    followups.respond(item, "Done", actor, mail=None)
    with pytest.raises(followups.FollowUpError):
        followups.respond(item, "Again", actor, mail=None)
    followups.review(item, "return", "Not yet", actor, mail=None)
    assert item.is_open
    followups.review(item, "close", None, actor, mail=None)
    with pytest.raises(followups.FollowUpError):
        followups.review(item, "close", None, actor, mail=None)


def test_operation_helpers():
    assert parse_areas(" North \n\nnorth\n  South   side ") == ["North", "South side"]
    assert split_operation_area("7|North") == (7, "North")
    assert split_operation_area("7") == (7, None)
    assert split_operation_area("") == (None, None)


def test_bar_chart_scales_to_the_biggest_value():
    chart = bar_chart("c", "Outcomes", [Count("A", 4), Count("B", 2), Count("C", 0)])
    widths = [b.width for b in chart.bars]
    assert widths[0] > widths[1] > widths[2] == 0
    assert widths[0] == pytest.approx(2 * widths[1])
    assert chart.description == "A: 4; B: 2; C: 0"
    assert bar_chart("e", "Empty", []).height > 0
