"""factory_boy factories for officer visits (kept beside tests/factories.py, same session)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import factory

from compliance.models import (
    ChecklistItem,
    FollowUp,
    Operation,
    Premises,
    Role,
    TestPurchase,
    Visit,
    VisitFinding,
)
from compliance.models.base import utcnow
from tests.factories import AgencyFactory, Base, PremisesFactory, UserFactory


class OfficerFactory(UserFactory):
    role = Role.OFFICER
    agency = factory.SubFactory(AgencyFactory)


class OperationFactory(Base):
    class Meta:
        model = Operation

    name = factory.Sequence(lambda n: f"Operation Test {n}")
    starts_on = factory.LazyFunction(lambda: utcnow().date() - timedelta(days=3))
    ends_on = factory.LazyFunction(lambda: utcnow().date() + timedelta(days=3))
    areas = ["North", "South"]


class VisitFactory(Base):
    """A submitted engagement visit by an officer (pass officer= to choose one)."""

    class Meta:
        model = Visit

    premises = factory.SubFactory(PremisesFactory)
    officer = factory.SubFactory(OfficerFactory)
    agency_id = factory.LazyAttribute(lambda o: o.officer.agency_id)
    idempotency_key = factory.LazyFunction(lambda: uuid4().hex)
    status = "submitted"
    visited_at = factory.LazyFunction(lambda: utcnow() - timedelta(days=1))
    visit_type = "engagement"
    person_spoken_to = "Pat Owner"
    person_role = "Owner"
    materials = factory.LazyFunction(lambda: ["posters"])
    advice_given = "Put a Challenge 25 sign at the till."
    outcome = "advice_given"
    officer_notes = "Owner seemed unsure about the law."
    submitted_at = factory.LazyFunction(utcnow)


class PurchaseFactory(Base):
    """A test purchase on a visit (sold=True is a failure)."""

    __test__ = False

    class Meta:
        model = TestPurchase

    visit = factory.SubFactory(VisitFactory, visit_type="test_purchase")
    premises_id = factory.LazyAttribute(lambda o: o.visit.premises_id)
    volunteer_age = 15
    item_attempted = "Kitchen knife"
    id_asked = False
    sold = True
    staff_member = "Till 2"
    letter_sent = False


class FindingFactory(Base):
    class Meta:
        model = VisitFinding

    answer = "no"
    note = None


class FollowUpFactory(Base):
    class Meta:
        model = FollowUp

    visit = factory.SubFactory(VisitFactory)
    premises_id = factory.LazyAttribute(lambda o: o.visit.premises_id)
    action = "Put up a Challenge 25 sign at the knife display"
    due_on = factory.LazyFunction(lambda: date.today() + timedelta(days=14))
    evidence_wanted = "A photo of the sign"
    status = "open"
    created_by_id = factory.LazyAttribute(lambda o: o.visit.officer_id)


class CheckFactory(Base):
    """A current checklist item (the real 22 come from compliance.training.content)."""

    class Meta:
        model = ChecklistItem

    key = factory.Sequence(lambda n: f"visit-check-{n}")
    version = 1
    is_current = True
    number = factory.Sequence(lambda n: 100 + n)
    group_key = "visit-checks"
    group_title = "Visit checks"
    group_position = 1
    question = "Is it in place?"
    officer_check = factory.Sequence(lambda n: f"Check {n} is in place")
    why = "Due diligence."
    how_to_fix = factory.Sequence(lambda n: f"Put check {n} in place.")
    weight = "high"
    applicability = "always"
    source_tags = ["S5"]
    content_hash = factory.Sequence(lambda n: f"v{n:063d}")


def matrix_ids(people) -> dict:
    """Visit records for the access matrix: {visit} (submitted, at the manager's premises, by
    the officer), {draft} (the officer's), {follow_up} (open, on {visit}), {operation}."""
    from compliance.extensions import db

    officer = people["officer"]
    premises = db.session.get(Premises, people["staff"].premises_id)
    CheckFactory()
    operation = OperationFactory()
    visit = VisitFactory(officer=officer, premises=premises, operation_id=operation.id,
                         area="North")
    draft = VisitFactory(officer=officer, premises=premises, status="draft",
                         submitted_at=None)
    follow_up = FollowUpFactory(visit=visit)
    from compliance.audit import Actor
    from compliance.evidence import services as evidence
    from compliance.storage import store

    photo = store(b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "sign.png")
    actor = Actor(user=officer)
    return {"visit": visit.id, "draft": draft.id, "follow_up": follow_up.id,
            "operation": operation.id,
            "evidence": evidence.attach_to_follow_up(follow_up, photo, actor).id,
            "finding_evidence": evidence.attach_to_finding(visit, "challenge-25", photo,
                                                           actor).id}
