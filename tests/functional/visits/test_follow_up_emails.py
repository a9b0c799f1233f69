"""Follow-up emails through the pages: raised, answered, returned; links that work."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from compliance.extensions import db
from compliance.jobs import queue
from compliance.models import FollowUp, Role
from tests.factories import PremisesFactory, RetailerFactory, UserFactory
from tests.functional.jobs.conftest import redis_mode  # noqa: F401 - fixture: jobs on Redis
from tests.functional.visits.helpers import lock_from
from tests.visit_factories import PurchaseFactory, VisitFactory

SECRET_NOTE = "Officer-only: owner linked to an investigation"
ACTION = "Put a Challenge 25 sign at the knife display"


def _form(action: str = ACTION) -> dict:
    due = date.today() + timedelta(days=10)
    return {"action": action, "due_on": [str(due.day), str(due.month), str(due.year)],
            "evidence_wanted": "A photo", "guidance_link": ""}


def _as(app, user):
    """A second browser, signed in as someone else."""
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = user.get_id()
    return other


def _link(email) -> str:
    return email.body.rstrip().rsplit("\n", 1)[-1]


def test_the_shop_and_the_officer_are_emailed_at_each_step(client, app, login_as, cast,
                                                           outbox):
    visit = VisitFactory(officer=cast["officer"], premises=cast["shop"],
                         officer_notes=SECRET_NOTE, visit_type="test_purchase")
    PurchaseFactory(visit=visit, premises_id=visit.premises_id, volunteer_age=14,
                    item_attempted="Lock knife", staff_member="Saturday assistant")
    UserFactory(role=Role.MANAGER, retailer=cast["shop"].retailer, active=False)
    second = UserFactory(role=Role.MANAGER, retailer=cast["shop"].retailer, name="Max Manager")
    login_as(cast["officer"])
    client.post(f"/visits/{visit.id}/follow-ups/new", data=_form())
    item = db.session.scalar(select(FollowUp))
    page = f"https://portal.example.org/visits/follow-ups/{item.id}"
    assert [e.to for e in outbox] == [cast["manager"].email, second.email]
    assert ACTION in outbox[0].body and _link(outbox[0]) == page

    manager = _as(app, cast["manager"])
    # The link opens the follow-up (the test client's host is not the public one).
    assert manager.get(urlsplit(_link(outbox[0])).path).status_code == 200
    manager.post(f"/visits/follow-ups/{item.id}/answer",
                 data={"response_note": "Sign is up by the till"})
    assert outbox[-1].to == cast["officer"].email
    assert "Sign is up by the till" in outbox[-1].body and _link(outbox[-1]) == page

    client.post(f"/visits/follow-ups/{item.id}/review",
                data={"decision": "return", "officer_note": "It must be at the display too"})
    returned = outbox[-2:]
    assert [e.to for e in returned] == [cast["manager"].email, second.email]
    assert "It must be at the display too" in returned[0].body and _link(returned[0]) == page

    manager.post(f"/visits/follow-ups/{item.id}/answer", data={"response_note": "Both now"})
    client.post(f"/visits/follow-ups/{item.id}/review", data={"decision": "close"})
    assert len(outbox) == 6  # raised x2, answered, returned x2, answered; closing sends none
    for email in outbox:
        assert SECRET_NOTE not in email.body and "volunteer" not in email.body.lower()


def test_a_drafts_follow_up_is_emailed_when_the_visit_is_submitted(client, login_as, cast,
                                                                   outbox):
    visit = VisitFactory(officer=cast["officer"], premises=cast["shop"], status="draft",
                         submitted_at=None)
    login_as(cast["officer"])
    client.post(f"/visits/{visit.id}/follow-ups/new", data=_form())
    assert outbox == []
    page = client.get(f"/visits/{visit.id}").text
    client.post(f"/visits/{visit.id}/submit", data={"lock_version": lock_from(page)})
    item = db.session.scalar(select(FollowUp))
    assert [(e.to, _link(e)) for e in outbox] == [
        (cast["manager"].email, f"https://portal.example.org/visits/follow-ups/{item.id}")]


def test_an_unclaimed_shop_is_sent_nothing(client, login_as, cast, outbox):
    shop = PremisesFactory(retailer=RetailerFactory(claimed=False, contact_email=""))
    visit = VisitFactory(officer=cast["officer"], premises=shop)
    login_as(cast["officer"])
    response = client.post(f"/visits/{visit.id}/follow-ups/new", data=_form())
    assert response.status_code == 302 and outbox == []
    item = db.session.scalar(select(FollowUp))
    returned = client.post(f"/visits/follow-ups/{item.id}/review",
                           data={"decision": "return", "officer_note": "Still to do"})
    assert returned.status_code == 302 and outbox == []


def test_raising_a_follow_up_uses_constant_queries_however_many_managers(
        client, login_as, cast, outbox, count_queries, redis_mode):  # noqa: F811
    """The emails are jobs (one per manager, written in one INSERT); as in production they are
    pushed to Redis, and a worker sends them after the page has answered."""
    visit = VisitFactory(officer=cast["officer"], premises=cast["shop"])
    login_as(cast["officer"])

    def queries(action: str) -> int:
        with count_queries() as counter:
            assert client.post(f"/visits/{visit.id}/follow-ups/new",
                               data=_form(action)).status_code == 302
        return counter["n"]

    one = queries("First action")
    for _ in range(9):
        UserFactory(role=Role.MANAGER, retailer=cast["shop"].retailer)
    assert queries("Second action") == one
    assert outbox == []
    queue.work(burst=True)
    assert len(outbox) == 1 + 10
