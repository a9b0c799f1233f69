"""The shop's side: visit summaries without private fields, follow-ups, claiming a shop."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from compliance.extensions import db
from compliance.models import AuditEvent, FollowUp, Premises, Retailer, Role, User
from tests.functional.business.test_routes import REGISTRATION
from tests.functional.visits.helpers import start_visit
from tests.visit_factories import FindingFactory, FollowUpFactory, PurchaseFactory, VisitFactory

SECRET_NOTE = "Officer-only: owner linked to an investigation"


def _failed_visit(cast):
    visit = VisitFactory(officer=cast["officer"], premises=cast["shop"],
                         visit_type="test_purchase", officer_notes=SECRET_NOTE,
                         outcome="non_compliant", advice_given="Train every till worker")
    PurchaseFactory(visit=visit, premises_id=visit.premises_id, volunteer_age=14,
                    item_attempted="Lock knife", staff_member="Saturday assistant")
    return visit


def test_manager_sees_visits_without_officer_notes_or_volunteer_details(client, login_as,
                                                                        cast):
    visit = _failed_visit(cast)
    FollowUpFactory(visit=visit, action="Retrain till staff on Challenge 25")
    login_as(cast["manager"])
    assert client.get("/visits/").headers["Location"].endswith("/visits/shop")
    overview = client.get("/visits/shop").text
    summary = client.get(f"/visits/{visit.id}/summary").text
    for page in (overview, summary):
        assert SECRET_NOTE not in page
        assert "Train every till worker" in page
        assert "Retrain till staff on Challenge 25" in page
        assert "Test purchase failed" in page or "Failed: the item was sold" in page
    assert "Volunteer" not in summary and ">14<" not in summary
    assert "Lock knife" in summary and "Saturday assistant" in summary
    # The officer's full record stays closed to the shop.
    assert client.get(f"/visits/{visit.id}").status_code == 403


def test_drafts_and_other_businesses_stay_hidden_from_managers(client, login_as, cast):
    draft = VisitFactory(officer=cast["officer"], premises=cast["shop"], status="draft",
                         submitted_at=None, advice_given="Draft advice")
    visit = VisitFactory(officer=cast["officer"], premises=cast["shop"])
    login_as(cast["manager"])
    assert "Draft advice" not in client.get("/visits/shop").text
    assert client.get(f"/visits/{draft.id}/summary").status_code == 403
    login_as(cast["other_manager"])
    assert client.get(f"/visits/{visit.id}/summary").status_code == 403
    assert "Alpha High Street" not in client.get("/visits/shop").text


def test_summary_lists_what_to_put_right_and_prints_cleanly(client, login_as, cast, checklist):
    visit = VisitFactory(officer=cast["officer"], premises=cast["shop"])
    FindingFactory(visit=visit, item=checklist[0], checklist_item_id=checklist[0].id,
                   answer="no")
    login_as(cast["officer"])
    page = client.get(f"/visits/{visit.id}/summary").text
    assert "Things to put right" in page and checklist[0].how_to_fix.split("\n")[0][:40] in page
    assert 'href="/static/css/print.css" media="print"' in page
    assert "app-no-print" in page and "/static/js/print.js" in page
    css = client.get("/static/css/print.css")
    assert ".govuk-template__header" in css.text and "display: none" in css.text
    css.close()


def test_follow_up_is_answered_returned_and_closed(client, app, login_as, cast):
    visit = VisitFactory(officer=cast["officer"], premises=cast["shop"])
    login_as(cast["officer"])
    due = date.today() + timedelta(days=10)
    form = {"action": "Put a Challenge 25 sign at the knife display",
            "due_on": [str(due.day), str(due.month), str(due.year)],
            "evidence_wanted": "A photo", "guidance_link": "https://www.gov.uk/"}
    client.post(f"/visits/{visit.id}/follow-ups/new", data=form)
    client.post(f"/visits/{visit.id}/follow-ups/new", data=form)  # a double tap
    assert db.session.scalar(select(func.count(FollowUp.id))) == 1
    item = db.session.scalar(select(FollowUp))

    manager = app.test_client()
    with manager.session_transaction() as session:
        session["_user_id"] = cast["manager"].get_id()
    tasks = manager.get("/visits/shop").text
    assert "Put a Challenge 25 sign" in tasks and "To do" in tasks
    answered = manager.post(f"/visits/follow-ups/{item.id}/answer",
                            data={"response_note": "Sign is up by the till"})
    assert answered.headers["Location"].endswith("/visits/shop")
    db.session.refresh(item)
    assert (item.status, item.response_note, item.responded_by_id) == (
        "answered", "Sign is up by the till", cast["manager"].id)

    page = client.get(f"/visits/follow-ups/{item.id}").text
    assert "Sign is up by the till" in page and "Close or return" in page
    no_note = client.post(f"/visits/follow-ups/{item.id}/review", data={"decision": "return"})
    assert "Enter what the shop still needs to do" in no_note.text
    client.post(f"/visits/follow-ups/{item.id}/review",
                data={"decision": "return", "officer_note": "It must be at the display too"})
    db.session.refresh(item)
    assert item.status == "returned"
    returned = manager.get(f"/visits/follow-ups/{item.id}").text
    assert "It must be at the display too" in returned and "Returned to the shop" in returned
    manager.post(f"/visits/follow-ups/{item.id}/answer", data={"response_note": "Both now"})
    client.post(f"/visits/follow-ups/{item.id}/review", data={"decision": "close"})
    db.session.refresh(item)
    assert item.status == "closed" and item.closed_by_id == cast["officer"].id
    assert "Closed" in manager.get("/visits/shop").text
    late = manager.post(f"/visits/follow-ups/{item.id}/answer", data={"response_note": "x"},
                        follow_redirects=True)
    assert "already been answered" in late.text
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"follow_up_raised", "follow_up_answered", "follow_up_returned",
            "follow_up_closed"} <= actions


def test_overdue_follow_ups_are_flagged_on_both_sides(client, login_as, cast):
    visit = VisitFactory(officer=cast["officer"], premises=cast["shop"])
    item = FollowUpFactory(visit=visit, due_on=date.today() - timedelta(days=1))
    answered = FollowUpFactory(visit=visit, action="Answered already",
                               due_on=date.today() - timedelta(days=1), status="answered")
    assert item.is_overdue and not answered.is_overdue
    login_as(cast["manager"])
    assert client.get("/visits/shop").text.count(">Overdue<") == 1
    login_as(cast["officer"])
    assert ">Overdue<" in client.get("/visits/").text
    assert ">Overdue<" in client.get(f"/visits/follow-ups/{item.id}").text


def test_follow_up_form_errors_and_who_may_act(client, login_as, cast):
    visit = VisitFactory(officer=cast["officer"], premises=cast["shop"])
    item = FollowUpFactory(visit=visit)
    login_as(cast["officer"])
    past = date.today() - timedelta(days=2)
    page = client.post(f"/visits/{visit.id}/follow-ups/new", data={
        "due_on": [str(past.day), str(past.month), str(past.year)],
        "guidance_link": "javascript:alert(1)"}).text
    assert "Enter what the shop needs to do" in page
    assert "Due date must be today or in the future" in page
    assert "Enter a link that starts with https://" in page
    login_as(cast["other_manager"])
    assert client.post(f"/visits/follow-ups/{item.id}/answer",
                       data={"response_note": "x"}).status_code == 403
    login_as(cast["stranger"])  # an officer of another agency reads but cannot close
    assert client.get(f"/visits/follow-ups/{item.id}").status_code == 200
    assert client.post(f"/visits/follow-ups/{item.id}/review",
                       data={"decision": "close"}).status_code == 403


def test_officer_adds_an_unregistered_shop_and_the_owner_claims_it(client, login_as, cast):
    login_as(cast["officer"])
    shop_form = {"premises_name": "Corner Knives", "address_line_1": "2 Side Street",
                 "town": "Exampleton", "postcode": "ex3 9zz", "jurisdiction": "england-wales",
                 "business_name": ""}
    first = client.post("/visits/premises/new", data=shop_form)
    again = client.post("/visits/premises/new", data=shop_form)  # a retry
    assert first.headers["Location"] == again.headers["Location"]
    shop = db.session.scalar(select(Premises).where(Premises.name == "Corner Knives"))
    assert shop.postcode == "EX3 9ZZ"
    retailer = db.session.get(Retailer, shop.retailer_id)
    assert not retailer.claimed and retailer.name == "Corner Knives"
    code = shop.claim_code
    assert len(code) == 14 and not set(code) & set("01ILO")
    visit = start_visit(client, shop)
    visit.status = "submitted"
    db.session.flush()
    assert code in client.get(f"/visits/{visit.id}/summary").text

    client.post("/auth/sign-out")
    with client.session_transaction() as session:
        session.clear()
    bad = client.post("/businesses/register", data={**REGISTRATION, "claim_code": "AAAA"})
    assert "Enter the claim code exactly as it is printed" in bad.text
    typed = code.lower().replace("-", " ")  # typed from the page, with spaces, in lower case
    done = client.post("/businesses/register", data={**REGISTRATION, "claim_code": typed})
    assert done.status_code == 302
    db.session.expire_all()
    retailer = db.session.get(Retailer, shop.retailer_id)
    assert retailer.claimed and retailer.name == REGISTRATION["business_name"]
    shop = db.session.get(Premises, shop.id)
    assert shop.claim_code is None and shop.name == REGISTRATION["premises_name"]
    manager = db.session.scalar(select(User).where(User.email == REGISTRATION["email"]))
    assert manager.role == Role.MANAGER and manager.retailer_id == retailer.id
    assert db.session.scalar(select(func.count(Retailer.id)).where(
        Retailer.name == REGISTRATION["business_name"])) == 1
    # The new manager sees the visit made before they registered.
    assert "Visits and follow-ups" in client.get("/visits/shop").text


def test_a_claimed_shop_code_cannot_be_used_again(client, cast):
    shop = cast["shop"]
    shop.claim_code = "ABCD-EFGH-JKMN"  # a leftover code on a business that is claimed
    db.session.flush()
    response = client.post("/businesses/register",
                           data={**REGISTRATION, "claim_code": "ABCD-EFGH-JKMN"})
    assert "Enter the claim code exactly" in response.text
