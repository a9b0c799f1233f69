"""Verified premises certificates: only from an officer's satisfactory visit, with a live status
that suspends while a condition lapses and comes back when it is met again."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from compliance.audit import Actor
from compliance.certificates import services as certificates
from compliance.extensions import db
from compliance.models import AuditEvent, Certificate, Role, VerificationRequest
from compliance.models.base import utcnow
from tests.factories import AgencyFactory, PremisesFactory, UserFactory
from tests.functional.certificates.test_routes import make_green, staff_certificate
from tests.visit_factories import OfficerFactory, PurchaseFactory, VisitFactory


@pytest.fixture
def shop():
    """A premises that meets every condition, and an officer's satisfactory visit to it."""
    premises = PremisesFactory(name="Market Street")
    manager = UserFactory(role=Role.MANAGER, retailer=premises.retailer)
    staff = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
    staff_certificate(staff)
    make_green(premises, days_ago=3)
    officer = OfficerFactory(agency=AgencyFactory(name="Northshire Police"))
    visit = VisitFactory(officer=officer, premises=premises, outcome="compliant",
                         visited_at=utcnow() - timedelta(days=2))
    return {"premises": premises, "manager": manager, "staff": staff, "officer": officer,
            "visit": visit}


def verified(client, login_as, shop) -> Certificate:
    login_as(shop["officer"])
    response = client.post(f"/verification/visits/{shop['visit'].id}")
    assert response.status_code == 302, response.text
    return db.session.scalar(select(Certificate).where(Certificate.kind == "premises"))


def audit_actions(cert: Certificate) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.target_type == "Certificate", AuditEvent.target_id == cert.id)
        .order_by(AuditEvent.id)))


def set_rating(premises, rating: str) -> None:
    assessment = make_green(premises, days_ago=0)
    assessment.rating = rating
    db.session.flush()


def test_officer_verifies_premises_after_a_satisfactory_visit(client, login_as, shop):
    login_as(shop["officer"])
    page = client.get(f"/verification/visits/{shop['visit'].id}")
    assert "Every condition is met" in page.text
    cert = verified(client, login_as, shop)
    assert cert.visit_id == shop["visit"].id and cert.details["agency"] == "Northshire Police"
    visit_day = shop["visit"].visited_at
    assert cert.expires_at == visit_day + timedelta(days=365)  # 12 months from the visit

    public = client.get(f"/verify/{cert.code}")
    assert "This certificate is valid" in public.text
    assert "Verified premises certificate" in public.text
    assert (f"Verified by Northshire Police after a visit on "
            f"{visit_day.strftime('%-d %B %Y')}") in public.text
    data = client.get(f"/verify/{cert.code}.json").json
    assert (data["status"], data["kind"], data["verified_by"]) == (
        "valid", "premises", "Northshire Police")
    text = " ".join(PdfReader(io.BytesIO(cert.pdf)).pages[0].extract_text().split())
    assert "Verified premises certificate" in text and "Northshire Police" in text


@pytest.mark.parametrize("change, reason", [
    ("non_compliant", "outcome was not satisfactory"),
    ("old", "more than 12 months ago"),
    ("later_visit", "A later visit to these premises"),
    ("red", "is rated red"),
    ("untrained", "1 of 2 active staff"),
    ("failed_purchase", "failed test purchase"),
])
def test_no_certificate_unless_every_condition_holds(client, login_as, shop, change, reason):
    visit, premises = shop["visit"], shop["premises"]
    if change == "non_compliant":
        visit.outcome = "non_compliant"
    elif change == "old":
        visit.visited_at = utcnow() - timedelta(days=400)
    elif change == "later_visit":
        VisitFactory(premises=premises, visited_at=utcnow() - timedelta(hours=1))
    elif change == "red":
        set_rating(premises, "red")
    elif change == "untrained":
        UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
    else:
        PurchaseFactory(visit=VisitFactory(premises=premises, visit_type="test_purchase",
                                           visited_at=utcnow() - timedelta(days=20)))
    db.session.flush()
    login_as(shop["officer"])
    page = client.get(f"/verification/visits/{visit.id}")
    assert reason in page.text and "Issue the verified premises certificate" not in page.text
    refused = client.post(f"/verification/visits/{visit.id}")
    assert refused.status_code == 200 and "govuk-error-summary" in refused.text
    assert db.session.scalar(select(Certificate).where(Certificate.kind == "premises")) is None


def test_only_the_visits_agency_or_an_admin_can_verify(client, login_as, shop):
    url = f"/verification/visits/{shop['visit'].id}"
    for outsider in (shop["manager"], shop["staff"], OfficerFactory()):
        login_as(outsider)
        assert client.post(url).status_code == 403
    assert db.session.scalar(select(Certificate).where(Certificate.kind == "premises")) is None
    login_as(UserFactory(role=Role.ADMIN))
    assert client.post(url).status_code == 302


def test_suspended_while_the_self_assessment_is_red_and_valid_again_when_green(
        client, login_as, shop):
    cert = verified(client, login_as, shop)
    manager_actor = Actor(shop["manager"])
    set_rating(shop["premises"], "red")
    from compliance.certificates.status import record_changes

    record_changes([shop["premises"].id], manager_actor)  # as submitting a self-assessment does
    page = client.get(f"/verify/{cert.code}")
    assert "This certificate is suspended" in page.text
    assert "is rated red; it needs to be green" in page.text
    data = client.get(f"/verify/{cert.code}.json").json
    assert data["status"] == "suspended" and "rated red" in data["suspended_reasons"][0]

    set_rating(shop["premises"], "green")
    assert client.get(f"/verify/{cert.code}.json").json["status"] == "valid"
    # Each change is audited once, whichever request first saw it.
    assert audit_actions(cert) == ["certificate_issued", "certificate_suspended",
                                   "certificate_reinstated"]


def test_suspended_while_staff_training_lapses(client, login_as, shop):
    cert = verified(client, login_as, shop)
    staff_cert = db.session.scalar(select(Certificate).where(
        Certificate.holder_user_id == shop["staff"].id))
    certificates.revoke(staff_cert, "Issued in error", Actor(shop["officer"]))
    data = client.get(f"/verify/{cert.code}.json").json
    assert data["status"] == "suspended"
    assert data["suspended_reasons"] == [
        "0 of 1 active staff hold a current training certificate; at least 90% must."]
    assert audit_actions(cert)[-1] == "certificate_suspended"  # audited at the revocation
    staff_certificate(shop["staff"])
    assert client.get(f"/verify/{cert.code}.json").json["status"] == "valid"
    assert audit_actions(cert)[-1] == "certificate_reinstated"


def test_a_failed_test_purchase_suspends_until_resolved(client, login_as, shop):
    cert = verified(client, login_as, shop)
    purchase = PurchaseFactory(visit=VisitFactory(premises=shop["premises"],
                                                  visit_type="test_purchase"))
    assert client.get(f"/verify/{cert.code}.json").json["status"] == "suspended"
    purchase.resolved_at = utcnow()
    db.session.flush()
    assert client.get(f"/verify/{cert.code}.json").json["status"] == "valid"


def test_a_red_self_assessment_submitted_by_the_manager_suspends_it(client, login_as, shop):
    """Through the real submit service: the change is audited at once."""
    from compliance.assessments import services as assessments
    from tests.assessment_factories import ChecklistItemFactory

    cert = verified(client, login_as, shop)
    ChecklistItemFactory(key="policy", weight="critical", number=1)
    premises, actor = shop["premises"], Actor(shop["manager"])
    draft = assessments.start_or_resume(premises, actor)
    sheet = assessments.sheet(assessments.load(draft.id, premises.id), premises)
    assessments.save_answer(draft, premises, sheet.row("policy"), "no", None,
                            expected_version=None, actor=actor)
    assessments.submit(draft, premises, "Mo Manager", expected_version=None, actor=actor)
    assert draft.rating == "red"
    assert audit_actions(cert)[-1] == "certificate_suspended"
    assert client.get(f"/verify/{cert.code}.json").json["status"] == "suspended"


def test_manager_asks_for_a_verification_visit_and_officers_see_why(client, login_as, shop):
    premises = shop["premises"]
    login_as(shop["manager"])
    page = client.get(f"/certificates/premises/{premises.id}")
    assert "Ask for a verification visit" in page.text
    empty = client.post(f"/verification/premises/{premises.id}/request", data={"reason": " "})
    assert "Enter why you want a verification visit" in empty.text
    client.post(f"/verification/premises/{premises.id}/request",
                data={"reason": "Our insurer asks for an independent check"})
    again = client.post(f"/verification/premises/{premises.id}/request",
                        data={"reason": "Twice"}, follow_redirects=True)
    assert "already been asked for" in again.text
    requests = db.session.scalars(select(VerificationRequest)).all()
    assert [r.reason for r in requests] == ["Our insurer asks for an independent check"]

    login_as(shop["officer"])
    priorities = client.get("/visits/priorities").text
    assert "Verification visit requested: Our insurer asks for an independent check" in \
        priorities
    verified(client, login_as, shop)
    db.session.refresh(requests[0])
    assert requests[0].resolved_at is not None
    assert "Verification visit requested" not in client.get("/visits/priorities").text


def test_the_database_allows_one_open_request_per_premises(shop):
    from compliance.verification import services as verification

    actor = Actor(shop["manager"])
    verification.request_visit(shop["premises"], "First", actor)
    with pytest.raises(verification.AlreadyRequested):
        verification.request_visit(shop["premises"], "Second", actor)


def test_the_daily_job_audits_training_that_runs_out(client, login_as, runner, shop):
    cert = verified(client, login_as, shop)
    staff_cert = db.session.scalar(select(Certificate).where(
        Certificate.holder_user_id == shop["staff"].id))
    staff_cert.expires_at = utcnow() - timedelta(minutes=1)  # time passes; no request sees it
    db.session.flush()
    result = runner.invoke(args=["certificates", "expire"])
    assert "1 premises certificates changed status" in result.output
    assert audit_actions(cert)[-1] == "certificate_suspended"
    again = runner.invoke(args=["certificates", "expire"])
    assert "0 premises certificates changed status" in again.output
