"""Officers' and admins' home pages."""

from datetime import date, timedelta

import pytest

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Role
from compliance.models.base import utcnow
from tests.factories import PremisesFactory, TrainingModuleFactory, UserFactory
from tests.functional.todo.helpers import todo_titles
from tests.visit_factories import FollowUpFactory, OfficerFactory, OperationFactory, VisitFactory


def test_officer_drafts_follow_ups_priorities_and_operation(client, login_as):
    officer = login_as(OfficerFactory())
    draft = VisitFactory(officer=officer, status="draft", premises=PremisesFactory(name="Blade Co"))
    answered = FollowUpFactory(visit=VisitFactory(officer=officer), status="answered",
                               responded_at=utcnow())
    FollowUpFactory(visit=VisitFactory(), status="answered")  # another agency's visit
    never = PremisesFactory(name="Never Visited Knives")
    operation = OperationFactory(name="Operation Sceptre")
    page = todo_titles(client.get("/"))
    assert "Finish the visit to Blade Co" in page and f"/visits/{draft.id}" in page
    assert page.count("Review the answer from") == 1
    assert f"/visits/follow-ups/{answered.id}" in page
    assert "Priorities in your area" in page and never.name in page
    assert "Operation running: Operation Sceptre" in page
    assert f"/visits/operations/{operation.id}/report" in page
    draft.status = "submitted"
    answered.status = "closed"
    db.session.flush()
    page = todo_titles(client.get("/"))
    assert "Finish the visit to" not in page and "Review the answer from" not in page


@pytest.mark.parametrize("listed", [200, 1], ids=["listed", "joined"])
def test_an_officer_reviews_their_own_and_their_agencys_answers(client, login_as, monkeypatch,
                                                               listed):
    """Answers waiting for review: those to the officer's own visits (a draft's, or one
    recorded for the agency they worked for before) and to their agency's submitted visits;
    never a colleague's draft's nor another agency's. Each follow-up carries its visit's
    agency, copied when it is raised. The officer's visits outside the agency are listed by
    id, or joined to when there are more than OUTSIDE_LISTED (here two against one)."""
    from compliance.followups import services as followups  # after the app: circular at import

    monkeypatch.setattr(followups, "OUTSIDE_LISTED", listed)
    officer = login_as(OfficerFactory())
    colleague = OfficerFactory(agency=officer.agency)
    elsewhere = OfficerFactory()
    now = utcnow()

    def answer(shop: str, **visit):
        return FollowUpFactory(visit=VisitFactory(premises=PremisesFactory(name=shop), **visit),
                               status="answered", responded_at=now)

    shown = [answer("Colleague Submitted", officer=colleague),
             answer("Own Draft", officer=officer, status="draft"),
             answer("Own Before The Move", officer=officer, agency_id=elsewhere.agency_id)]
    hidden = [answer("Colleague Draft", officer=colleague, status="draft"),
              answer("Other Agency", officer=elsewhere)]
    db.session.flush()
    db.session.expire_all()
    assert [f.agency_id for f in shown + hidden] == [
        officer.agency_id, officer.agency_id, elsewhere.agency_id, officer.agency_id,
        elsewhere.agency_id]
    page = todo_titles(client.get("/"))
    for shop in ("Colleague Submitted", "Own Draft", "Own Before The Move"):
        assert f"Review the answer from {shop}" in page
    for shop in ("Colleague Draft", "Other Agency"):
        assert f"Review the answer from {shop}" not in page
    officer.agency_id = None  # an officer with no agency reviews their own visits' answers
    db.session.flush()
    page = todo_titles(client.get("/"))
    assert page.count("Review the answer from") == 2
    assert "from Own Draft" in page and "from Own Before The Move" in page


def test_officer_with_nothing_waiting_is_told_what_next(client, login_as):
    login_as(OfficerFactory())
    page = todo_titles(client.get("/"))
    assert "Nothing waiting for you" in page and "/visits/priorities" in page


def test_admin_accounts_waiting_audit_events_and_content_reviews(client, login_as):
    admin = login_as(UserFactory(role=Role.ADMIN, last_sign_in_at=utcnow()))
    waiting = OfficerFactory(name="Nia New")
    audit.record(Actor(admin, "192.0.2.1"), "account_locked", "Account locked after 5 failed "
                 "sign-ins", target=waiting)
    module = TrainingModuleFactory(title="The law on knife sales", last_reviewed=date(2025, 1, 1))
    page = todo_titles(client.get("/"))
    assert "Nia New has not set up their account" in page
    assert "Account locked" in page and "Account locked after 5 failed sign-ins" in page
    assert "Review “The law on knife sales”" in page
    waiting.last_sign_in_at = utcnow()
    module.last_reviewed = utcnow().date() - timedelta(days=1)
    db.session.flush()
    page = todo_titles(client.get("/"))
    assert "Nia New has not set up" not in page and "The law on knife sales" not in page


def test_admin_with_nothing_waiting(client, login_as):
    login_as(UserFactory(role=Role.ADMIN, last_sign_in_at=utcnow()))
    assert "Nothing needs your attention" in todo_titles(client.get("/"))


def test_admin_sees_locked_accounts(client, login_as):
    login_as(UserFactory(role=Role.ADMIN, last_sign_in_at=utcnow()))
    locked = UserFactory(role=Role.STAFF, name="Lou Locked", last_sign_in_at=utcnow(),
                         locked_until=utcnow() + timedelta(minutes=10))
    page = todo_titles(client.get("/"))
    assert "Lou Locked's account is locked" in page
    assert f"/admin/users/{locked.id}/status" in page


def test_an_officer_with_many_answers_to_review_sees_the_longest_waiting(client, login_as,
                                                                         monkeypatch):
    """An agency of a tenth of the country had 303 answers waiting, each a to-do on the home
    page: now the longest waiting few, and the rest counted (up to a cap)."""
    from compliance.todo import officers

    monkeypatch.setattr(officers, "REVIEWS_SHOWN", 2)
    monkeypatch.setattr(officers, "REVIEWS_COUNTED", 4)
    officer = login_as(OfficerFactory())
    now = utcnow()
    answered = [FollowUpFactory(visit=VisitFactory(officer=officer,
                                                   premises=PremisesFactory(name=f"Shop {n}")),
                                status="answered", responded_at=now - timedelta(hours=n))
                for n in range(3)]
    page = todo_titles(client.get("/"))
    assert page.count("Review the answer from") == 2
    assert "Review the answer from Shop 2" in page and "Review the answer from Shop 1" in page
    assert "Review the answer from Shop 0" not in page  # the most recent waits its turn
    assert "1 other answer waits for review" in page
    for n in range(3, 6):
        FollowUpFactory(visit=VisitFactory(officer=officer), status="answered",
                        responded_at=now - timedelta(minutes=n))
    page = todo_titles(client.get("/"))
    assert "More than 2 other answers wait for review" in page
    answered[2].status = "closed"  # reviewed: the next longest waiting takes its place
    db.session.flush()
    page = todo_titles(client.get("/"))
    assert "Review the answer from Shop 2" not in page
    assert page.count("Review the answer from") == 2
    assert "Review the answer from Shop 1" in page
