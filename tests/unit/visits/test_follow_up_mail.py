"""Follow-up emails without HTTP: who hears, when, and what the emails leave out."""

from __future__ import annotations

import re
from datetime import date

import pytest

from compliance.audit import Actor
from compliance.followups import services as followups
from compliance.followups.mail import FollowUpMail, managers_of
from compliance.mail import MemoryMailer
from compliance.models import Role
from compliance.visits import services
from tests.factories import PremisesFactory, RetailerFactory, UserFactory
from tests.visit_factories import OfficerFactory, PurchaseFactory, VisitFactory

SECRET_NOTE = "Officer-only: owner linked to an investigation"
DUE = date(2031, 12, 10)


@pytest.fixture
def shop():
    return PremisesFactory(name="Alpha High Street", retailer=RetailerFactory())


@pytest.fixture
def managers(shop):
    return [UserFactory(role=Role.MANAGER, retailer=shop.retailer, name=name,
                        email=f"{name.split()[0].lower()}@alpha.example.com")
            for name in ("Mo Manager", "Max Manager")]


@pytest.fixture
def officer():
    return OfficerFactory(name="Olu Officer", email="olu@police.example.com")


@pytest.fixture
def mail():
    return FollowUpMail(MemoryMailer(), lambda follow_up_id: f"https://x.test/fu/{follow_up_id}")


def _raise(visit, officer, mail, action: str = "Put a Challenge 25 sign at the till"):
    details = followups.FollowUpDetails(action=action, due_on=DUE,
                                        evidence_wanted="A photo of the sign")
    return followups.raise_follow_up(visit, details, Actor(officer), mail=mail)


def _sent(mail) -> list:
    return mail.mailer.outbox


def test_managers_are_the_active_managers_of_a_claimed_business(shop, managers):
    UserFactory(role=Role.MANAGER, retailer=shop.retailer, active=False)
    UserFactory(role=Role.STAFF, retailer=shop.retailer, premises=shop)
    UserFactory(role=Role.MANAGER, retailer=RetailerFactory())  # another business
    assert managers_of(shop) == managers
    unclaimed = PremisesFactory(retailer=RetailerFactory(claimed=False))
    UserFactory(role=Role.MANAGER, retailer=unclaimed.retailer)
    assert managers_of(unclaimed) == []


def test_raising_a_follow_up_emails_every_manager_what_to_do_and_by_when(shop, managers,
                                                                         officer, mail):
    visit = VisitFactory(officer=officer, premises=shop, officer_notes=SECRET_NOTE,
                         visit_type="test_purchase")
    PurchaseFactory(visit=visit, premises_id=shop.id, volunteer_age=14,
                    item_attempted="Lock knife")
    item, created = _raise(visit, officer, mail)
    assert created
    assert [e.to for e in _sent(mail)] == ["mo@alpha.example.com", "max@alpha.example.com"]
    email = _sent(mail)[0]
    assert email.subject == "Action needed at Alpha High Street by 10 December 2031"
    assert email.body.startswith("Hello Mo Manager,")
    for words in ("Put a Challenge 25 sign at the till", "by 10 December 2031",
                  "A photo of the sign", f"https://x.test/fu/{item.id}"):
        assert words in email.body
    for sent in _sent(mail):
        text = (sent.subject + sent.body).replace(f"https://x.test/fu/{item.id}", "")
        assert SECRET_NOTE not in text and "Lock knife" not in text
        assert "volunteer" not in text.lower() and not re.search(r"\b14\b", text)

    _raise(visit, officer, mail)  # a retry returns the first follow-up and sends nothing
    assert len(_sent(mail)) == 2


def test_a_drafts_follow_ups_are_emailed_when_the_visit_is_submitted(shop, managers, officer,
                                                                     mail):
    draft = VisitFactory(officer=officer, premises=shop, status="draft", submitted_at=None)
    first, _created = _raise(draft, officer, mail)
    second, _created = _raise(draft, officer, mail, action="Keep a refusals register")
    assert _sent(mail) == []  # the managers cannot see a draft's follow-ups yet
    visit = services.load_visit(draft.id)
    assert services.submit_visit(visit, visit.lock_version, Actor(officer), mail=mail)
    links = sorted((e.to, e.body.rsplit("\n", 2)[-2]) for e in _sent(mail))
    assert links == sorted((m.email, f"https://x.test/fu/{f.id}")
                           for m in managers for f in (first, second))
    services.submit_visit(visit, visit.lock_version, Actor(officer), mail=mail)
    assert len(_sent(mail)) == 4  # submitting again sends nothing more


def test_an_answer_is_emailed_to_the_officer_who_raised_it(shop, managers, officer, mail):
    colleague = OfficerFactory(agency=officer.agency)
    item, _created = _raise(VisitFactory(officer=colleague, premises=shop), officer, mail)
    _sent(mail).clear()
    followups.respond(item, "The sign is up by the till", Actor(managers[0]), mail=mail)
    [email] = _sent(mail)
    assert email.to == "olu@police.example.com"
    assert email.subject == "Follow-up answered: Alpha High Street"
    assert "Mo Manager of Alpha High Street has answered" in email.body
    assert "The sign is up by the till" in email.body
    assert email.body.endswith(f"https://x.test/fu/{item.id}\n")


def test_no_answer_email_to_an_officer_who_has_left(shop, managers, officer, mail):
    item, _created = _raise(VisitFactory(officer=officer, premises=shop), officer, mail)
    _sent(mail).clear()
    officer.active = False
    followups.respond(item, "Done", Actor(managers[0]), mail=mail)
    assert _sent(mail) == []


def test_returning_emails_the_managers_the_officers_note_and_closing_does_not(
        shop, managers, officer, mail):
    visit = VisitFactory(officer=officer, premises=shop, officer_notes=SECRET_NOTE)
    item, _created = _raise(visit, officer, mail)
    followups.respond(item, "Done", Actor(managers[0]), mail=mail)
    _sent(mail).clear()
    followups.review(item, "return", "The sign must be at the knife display too",
                     Actor(officer), mail=mail)
    assert [e.to for e in _sent(mail)] == [m.email for m in managers]
    email = _sent(mail)[0]
    assert email.subject == "Follow-up returned: Alpha High Street"
    for words in ("The sign must be at the knife display too", "Put a Challenge 25 sign",
                  "due by 10 December 2031", f"https://x.test/fu/{item.id}"):
        assert words in email.body
    assert SECRET_NOTE not in email.body
    followups.respond(item, "Both now", Actor(managers[0]), mail=mail)
    _sent(mail).clear()
    followups.review(item, "close", None, Actor(officer), mail=mail)
    assert _sent(mail) == []


def test_an_unclaimed_shop_gets_no_emails_and_no_error(officer, mail):
    shop = PremisesFactory(retailer=RetailerFactory(claimed=False, contact_email=""))
    item, created = _raise(VisitFactory(officer=officer, premises=shop), officer, mail)
    followups.review(item, "return", "Still to do", Actor(officer), mail=mail)
    assert created and _sent(mail) == []


def test_without_a_mailer_nobody_is_emailed(shop, managers, officer):
    item, created = _raise(VisitFactory(officer=officer, premises=shop), officer, None)
    assert created and item.status == "open"


def test_emails_cost_one_query_however_many_managers(shop, managers, officer, mail,
                                                     count_queries):
    visit = VisitFactory(officer=officer, premises=shop)

    def queries_to_raise(action: str) -> int:
        with count_queries() as counter:
            _raise(visit, officer, mail, action=action)
        return counter["n"]

    two = queries_to_raise("First action")
    for n in range(8):
        UserFactory(role=Role.MANAGER, retailer=shop.retailer, email=f"m{n}@alpha.example.com")
    assert queries_to_raise("Second action") == two
    assert len(_sent(mail)) == 2 + 10
