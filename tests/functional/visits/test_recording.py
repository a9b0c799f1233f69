"""Recording a visit on the officer's side: drafts per page, submission, duplicates, edits."""

from __future__ import annotations

import html
import re
from datetime import date, time

import pytest
from sqlalchemy import func, select

from compliance.extensions import db
from compliance.models import (
    Assessment,
    AssessmentAnswer,
    AuditEvent,
    TestPurchase,
    Visit,
    VisitChange,
    VisitFinding,
)
from compliance.models.base import utcnow
from compliance.visits.timezone import from_uk
from tests.functional.visits.helpers import key_from, lock_from, start_form, start_visit
from tests.visit_factories import FindingFactory, OperationFactory, VisitFactory


def group_items(checklist, position: int):
    return [i for i in checklist if i.group_position == position]


def test_officer_finds_the_shop_by_postcode_name_or_business(client, login_as, cast):
    login_as(cast["officer"])
    for search in ("ab12cd", "AB1 2CD", "alpha high", "Alpha Tools"):
        page = client.get("/visits/premises", query_string={"q": search}).text
        assert "Alpha High Street" in page, search
        assert f"/visits/new?premises={cast['shop'].id}" in page
    assert "0 shops found" in client.get("/visits/premises?q=zzzz").text
    # A NUL in the search (PostgreSQL refuses one in a query) is dropped, not a 500.
    nul = client.get("/visits/premises", query_string={"q": "alpha\x00 high"})
    assert nul.status_code == 200 and "Alpha High Street" in nul.text


def test_visit_is_saved_page_by_page_and_resumed(client, login_as, cast, checklist):
    login_as(cast["officer"])
    shop = cast["shop"]
    visit = start_visit(client, shop)
    assert (visit.status, visit.visit_type, visit.person_spoken_to) == ("draft", "engagement",
                                                                        "Pat")
    assert visit.officer_id == cast["officer"].id and visit.agency_id == cast["officer"].agency_id

    first = group_items(checklist, 1)
    page = client.get(f"/visits/{visit.id}/checklist/1")
    assert page.status_code == 200 and "This visit is a draft" in page.text
    answers = {f"item_{first[0].id}": "no", f"note_{first[0].id}": "Zombie knife on display",
               f"item_{first[1].id}": "yes", "lock_version": lock_from(page.text)}
    saved = client.post(f"/visits/{visit.id}/checklist/1", data=answers)
    assert saved.headers["Location"].endswith(f"/visits/{visit.id}/checklist/2")
    findings = {f.checklist_item_id: f for f in db.session.scalars(select(VisitFinding))}
    assert findings[first[0].id].answer == "no"
    assert findings[first[0].id].note == "Zombie knife on display"
    assert first[1].id in findings and len(findings) == 2  # "not checked" stores nothing

    # The signal drops. Later the draft is on the dashboard, and the page shows what was saved.
    dashboard = client.get("/visits/").text
    assert "Continue the visit to Alpha High Street" in dashboard
    again = client.get(f"/visits/{visit.id}/checklist/1").text
    assert 'value="no" checked' in again and "Zombie knife on display" in again

    detail = client.get(f"/visits/{visit.id}").text
    assert "Submit visit" in detail and "Zombie knife on display" in detail
    refused = client.post(f"/visits/{visit.id}/submit", data={"lock_version": lock_from(detail)})
    assert refused.status_code == 400 and "Record the outcome of the visit" in refused.text

    outcome = client.get(f"/visits/{visit.id}/outcome").text
    response = client.post(f"/visits/{visit.id}/outcome", data={
        "outcome": "advice_given", "materials": ["posters", "leaflets"],
        "advice_given": "Move the knives behind the counter.", "officer_notes": "Owner evasive",
        "lock_version": lock_from(outcome)})
    assert response.headers["Location"].endswith(f"/visits/{visit.id}")
    detail = client.get(f"/visits/{visit.id}").text
    submitted = client.post(f"/visits/{visit.id}/submit", data={"lock_version": lock_from(detail)},
                            follow_redirects=True)
    assert "Visit submitted" in submitted.text
    db.session.refresh(visit)
    assert visit.status == "submitted" and visit.submitted_at is not None
    assert visit.materials == ["posters", "leaflets"]
    assert "Continue the visit" not in client.get("/visits/").text


def test_double_tapped_start_makes_one_visit(client, login_as, cast):
    login_as(cast["officer"])
    shop = cast["shop"]
    key = key_from(client.get(f"/visits/new?premises={shop.id}").text)
    data = {**start_form(), "idempotency_key": key}
    first = client.post(f"/visits/new?premises={shop.id}", data=data)
    second = client.post(f"/visits/new?premises={shop.id}", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count(Visit.id))) == 1
    # A fresh form has a fresh key, so a genuinely new visit is possible.
    assert key_from(client.get(f"/visits/new?premises={shop.id}").text) != key


def test_a_key_cannot_be_used_to_reach_another_officers_visit(client, login_as, cast):
    visit = VisitFactory(officer=cast["colleague"], premises=cast["shop"], status="draft")
    login_as(cast["officer"])
    response = client.post(f"/visits/new?premises={cast['shop'].id}",
                           data={**start_form(), "idempotency_key": visit.idempotency_key})
    assert response.status_code == 400


def test_start_form_errors_use_govuk_wording_and_keep_input(client, login_as, cast):
    login_as(cast["officer"])
    shop = cast["shop"]
    key = key_from(client.get(f"/visits/new?premises={shop.id}").text)
    page = client.post(f"/visits/new?premises={shop.id}", data={
        "idempotency_key": key, "visit_date": ["", "", ""], "visit_time": "25:99",
        "person_spoken_to": "Kept text"}).text
    assert "There is a problem" in page
    assert "Enter the date of the visit" in page
    assert "Enter the time in the 24-hour clock, like 14:30" in page
    assert "Select the type of visit" in page
    assert 'value="Kept text"' in page
    future = client.post(f"/visits/new?premises={shop.id}", data={
        **start_form(), "idempotency_key": key,
        "visit_date": ["1", "1", str(utcnow().year + 1)]}).text
    assert "Date of the visit must be today or in the past" in future
    assert db.session.scalar(select(func.count(Visit.id))) == 0


def test_submitting_twice_is_harmless(client, login_as, cast):
    login_as(cast["officer"])
    visit = VisitFactory(officer=cast["officer"], premises=cast["shop"], status="draft",
                         submitted_at=None)
    lock = visit.lock_version
    client.post(f"/visits/{visit.id}/submit", data={"lock_version": lock})
    again = client.post(f"/visits/{visit.id}/submit", data={"lock_version": lock})
    assert again.status_code == 302
    events = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action == "visit_submitted")).all()
    assert events == ["visit_submitted"]


def test_officers_see_findings_beside_the_shops_own_answers(client, login_as, cast, checklist):
    shop, item = cast["shop"], checklist[2]
    assessment = Assessment(premises_id=shop.id, status="submitted", started_by_id=cast[
        "manager"].id, submitted_at=utcnow(), profile={}, rating="green")
    db.session.add(assessment)
    db.session.flush()
    db.session.add(AssessmentAnswer(assessment_id=assessment.id, checklist_item_id=item.id,
                                    answer="yes"))
    db.session.flush()
    login_as(cast["officer"])
    visit = start_visit(client, shop)
    page = client.get(f"/visits/{visit.id}/checklist/{item.group_position}").text
    assert "The shop&#39;s own answer:" in page or "The shop's own answer:" in page
    client.post(f"/visits/{visit.id}/checklist/{item.group_position}",
                data={f"item_{item.id}": "no", "lock_version": lock_from(page)})
    detail = client.get(f"/visits/{visit.id}").text
    assert detail.count("Differs from the shop") == 1


def _submitted_visit(cast, **kwargs) -> Visit:
    return VisitFactory(officer=cast["officer"], premises=cast["shop"], **kwargs)


def test_changing_a_submitted_visit_needs_a_reason_and_is_kept_in_history(client, login_as,
                                                                        cast):
    visit = _submitted_visit(cast, outcome="advice_given")
    login_as(cast["officer"])
    page = client.get(f"/visits/{visit.id}/outcome").text
    assert "Reason for the change" in page
    data = {"outcome": "non_compliant", "advice_given": "Fix the till prompt",
            "lock_version": lock_from(page)}
    refused = client.post(f"/visits/{visit.id}/outcome", data=data)
    assert refused.status_code == 200 and "Enter the reason for the change" in refused.text
    assert 'Fix the till prompt' in refused.text
    saved = client.post(f"/visits/{visit.id}/outcome",
                        data={**data, "reason": "Typed the wrong outcome"},
                        follow_redirects=True)
    assert "Visit updated" in saved.text
    change = db.session.scalar(select(VisitChange))
    assert change.reason == "Typed the wrong outcome"
    assert change.changed_by_id == cast["officer"].id
    assert change.changes["outcome"] == {"from": "advice_given", "to": "non_compliant"}
    assert "Changes since submission" in saved.text and "Typed the wrong outcome" in saved.text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "visit_edited"))
    assert "outcome" in event.details["fields"] and event.target_id == visit.id


def test_two_officers_editing_at_once_cannot_overwrite_each_other(client, app, login_as, cast):
    visit = _submitted_visit(cast, advice_given="Original advice")
    other = app.test_client()
    login_as(cast["officer"])
    with other.session_transaction() as session:
        session["_user_id"] = cast["colleague"].get_id()
    mine = client.get(f"/visits/{visit.id}/outcome").text
    theirs = other.get(f"/visits/{visit.id}/outcome").text
    assert lock_from(mine) == lock_from(theirs)

    first = other.post(f"/visits/{visit.id}/outcome", data={
        "outcome": "advice_given", "advice_given": "Colleague's advice",
        "reason": "Added what we said", "lock_version": lock_from(theirs)})
    assert first.status_code == 302

    mine_typed = {"outcome": "compliant", "advice_given": "My advice, typed at the same time",
                  "reason": "My reason", "lock_version": lock_from(mine)}
    stale = client.post(f"/visits/{visit.id}/outcome", data=mine_typed)
    assert stale.status_code == 200
    assert "Someone else changed this visit" in stale.text
    assert "My advice, typed at the same time" in stale.text and "My reason" in stale.text
    db.session.expire_all()
    assert db.session.get(Visit, visit.id).advice_given == "Colleague's advice"

    # Saving again, knowingly, with the page's refreshed lock version works.
    resaved = client.post(f"/visits/{visit.id}/outcome",
                          data={**mine_typed, "lock_version": lock_from(stale.text)})
    assert resaved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Visit, visit.id).advice_given == "My advice, typed at the same time"
    assert len(db.session.scalars(select(VisitChange)).all()) == 2


def test_a_repeated_save_is_not_a_conflict(client, login_as, cast):
    visit = _submitted_visit(cast)
    login_as(cast["officer"])
    page = client.get(f"/visits/{visit.id}/outcome").text
    data = {"outcome": "compliant", "reason": "Rechecked", "lock_version": lock_from(page),
            "advice_given": visit.advice_given, "officer_notes": visit.officer_notes,
            "materials": visit.materials}
    assert client.post(f"/visits/{visit.id}/outcome", data=data).status_code == 302
    assert client.post(f"/visits/{visit.id}/outcome", data=data).status_code == 302
    assert len(db.session.scalars(select(VisitChange)).all()) == 1


def test_failed_test_purchase_flags_the_shop_until_a_later_pass(client, login_as, cast):
    from compliance.visits.services import has_unresolved_failed_test_purchase

    login_as(cast["officer"])
    shop = cast["shop"]
    visit = start_visit(client, shop, visit_type="test_purchase")
    page = client.get(f"/visits/{visit.id}/test-purchase").text
    client.post(f"/visits/{visit.id}/test-purchase", data={
        "volunteer_age": "15", "item_attempted": "Kitchen knife", "id_asked": "no",
        "sold": "sold", "staff_member": "Till 2", "letter_sent": "no",
        "lock_version": lock_from(page)})
    assert not has_unresolved_failed_test_purchase(shop.id)  # a draft does not count yet
    outcome = client.get(f"/visits/{visit.id}/outcome").text
    client.post(f"/visits/{visit.id}/outcome", data={"outcome": "non_compliant",
                                                     "lock_version": lock_from(outcome)})
    detail = client.get(f"/visits/{visit.id}").text
    client.post(f"/visits/{visit.id}/submit", data={"lock_version": lock_from(detail)})
    assert has_unresolved_failed_test_purchase(shop.id)
    assert "Failed test purchase" in client.get("/visits/premises?q=Alpha").text
    failed = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "test_purchase_failed"))
    assert failed.details["premises_id"] == shop.id

    retest = start_visit(client, shop, visit_type="test_purchase")
    page = client.get(f"/visits/{retest.id}/test-purchase").text
    client.post(f"/visits/{retest.id}/test-purchase", data={
        "volunteer_age": "16", "item_attempted": "Craft knife", "id_asked": "yes",
        "sold": "refused", "letter_sent": "yes", "lock_version": lock_from(page)})
    outcome = client.get(f"/visits/{retest.id}/outcome").text
    client.post(f"/visits/{retest.id}/outcome", data={"outcome": "compliant",
                                                      "lock_version": lock_from(outcome)})
    detail = client.get(f"/visits/{retest.id}").text
    client.post(f"/visits/{retest.id}/submit", data={"lock_version": lock_from(detail)})
    assert not has_unresolved_failed_test_purchase(shop.id)
    cleared = db.session.scalar(select(TestPurchase).where(TestPurchase.sold.is_(True)))
    assert cleared.resolved_by_visit_id == retest.id
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "test_purchase_cleared")).details["visit_id"] == retest.id


def test_test_purchase_errors(client, login_as, cast):
    login_as(cast["officer"])
    visit = start_visit(client, cast["shop"], visit_type="test_purchase")
    page = client.get(f"/visits/{visit.id}/test-purchase").text
    errors = client.post(f"/visits/{visit.id}/test-purchase", data={
        "volunteer_age": "21", "lock_version": lock_from(page)}).text
    for message in ("Volunteer&#39;s age must be between 13 and 17",
                    "Enter the item the volunteer tried to buy",
                    "Select whether the volunteer was asked for ID",
                    "Select whether the item was sold or refused",
                    "Select whether the outcome letter has been sent"):
        assert message in errors or message.replace("&#39;", "'") in errors
    detail = client.get(f"/visits/{visit.id}").text
    missing = client.post(f"/visits/{visit.id}/submit", data={"lock_version": lock_from(detail)})
    assert "Record the test purchase" in missing.text


def test_admins_read_but_do_not_edit_visits(client, login_as, cast):
    visit = _submitted_visit(cast)
    login_as(cast["admin"])
    page = client.get(f"/visits/{visit.id}").text
    assert visit.officer_notes in page
    assert f"/visits/{visit.id}/outcome" not in page
    assert client.get(f"/visits/{visit.id}/outcome").status_code == 403


def test_officers_of_another_agency_read_but_do_not_edit(client, login_as, cast):
    visit = _submitted_visit(cast)
    login_as(cast["stranger"])
    assert client.get(f"/visits/{visit.id}").status_code == 200
    assert client.get(f"/visits/{visit.id}/details").status_code == 403
    login_as(cast["colleague"])
    assert client.get(f"/visits/{visit.id}/details").status_code == 200


def test_changing_details_and_findings_of_a_submitted_visit(client, login_as, cast, checklist):
    visit = _submitted_visit(cast, visit_type="engagement")
    item, other = checklist[0], checklist[1]
    FindingFactory(visit=visit, item=item, checklist_item_id=item.id, answer="no")
    FindingFactory(visit=visit, item=other, checklist_item_id=other.id, answer="yes")
    login_as(cast["officer"])
    page = client.get(f"/visits/{visit.id}/details").text
    assert 'value="Pat Owner"' in page
    moved = client.post(f"/visits/{visit.id}/details", data={
        **start_form(visit_type="follow_up"), "lock_version": lock_from(page),
        "reason": "It was a follow-up check"})
    assert moved.headers["Location"].endswith(f"/visits/{visit.id}")
    page = client.get(f"/visits/{visit.id}/checklist/1").text
    client.post(f"/visits/{visit.id}/checklist/1", data={
        f"item_{item.id}": "yes", f"note_{item.id}": "Removed since",
        f"item_{other.id}": "not_checked", "lock_version": lock_from(page),
        "reason": "Corrected the checks"})
    db.session.expire_all()
    findings = {f.checklist_item_id: f for f in db.session.scalars(select(VisitFinding))}
    assert findings[item.id].answer == "yes" and other.id not in findings
    changes = [c.changes for c in db.session.scalars(select(VisitChange).order_by(
        VisitChange.id))]
    assert changes[0]["visit_type"] == {"from": "engagement", "to": "follow_up"}
    assert changes[1][f"item {item.number}"] == {"from": "no", "to": "yes"}
    assert changes[1][f"item {other.number}"] == {"from": "yes", "to": None}
    history = client.get(f"/visits/{visit.id}").text
    assert "It was a follow-up check" in history and "Corrected the checks" in history


def test_the_history_reads_as_people_write_and_stores_the_raw_values(client, login_as, cast,
                                                                    checklist):
    operation = OperationFactory(name="Operation Sceptre, July 2025", areas=["North"],
                                 starts_on=date(2025, 6, 30), ends_on=date(2025, 7, 6))
    visit = _submitted_visit(cast, visit_type="engagement", outcome="advice_given",
                             materials=["posters"],
                             visited_at=from_uk(date(2025, 7, 1), time(9, 0)))
    item = checklist[0]
    FindingFactory(visit=visit, item=item, checklist_item_id=item.id, answer="no")
    login_as(cast["officer"])
    page = client.get(f"/visits/{visit.id}/details").text
    client.post(f"/visits/{visit.id}/details", data={
        **start_form(date(2025, 7, 1), visit_time="15:00", visit_type="test_purchase",
                     operation=f"{operation.id}|North"),
        "lock_version": lock_from(page), "reason": "Wrong time and operation"})
    page = client.get(f"/visits/{visit.id}/outcome").text
    client.post(f"/visits/{visit.id}/outcome", data={
        "outcome": "non_compliant", "materials": ["leaflets", "training_sign_up"],
        "advice_given": "Put a Challenge 25 sign up", "officer_notes": visit.officer_notes,
        "lock_version": lock_from(page),
        "reason": "Typed the wrong outcome"})
    page = client.get(f"/visits/{visit.id}/checklist/1").text
    client.post(f"/visits/{visit.id}/checklist/1", data={
        f"item_{item.id}": "not_checked", "lock_version": lock_from(page),
        "reason": "Not checked after all"})

    history = client.get(f"/visits/{visit.id}").text.split("Changes since submission")[-1]
    lines = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", li)).split())
             for li in re.findall(r"<li>(.*?)</li>", history, re.S)]
    for line in (
            "Date and time: 1 July 2025, 09:00 changed to 1 July 2025, 15:00",  # BST, not UTC
            "Type: Engagement and advice changed to Test purchase",
            "Operation: blank changed to Operation Sceptre, July 2025",
            "Area: blank changed to North",
            "Outcome: Advice given changed to Non-compliant, follow-up needed",
            "Materials given: Posters changed to Leaflets, Training sign-up",
            f"Checklist item {item.number}: No changed to Not checked"):
        assert line.replace(" changed to ", " → changed to ") in lines, lines
    for raw in ("operation_id", "visit_type", "2025-07-01T", "non_compliant",
                "training_sign_up"):
        assert raw not in history
    stored = {key: value for change in db.session.scalars(select(VisitChange))
              for key, value in change.changes.items()}
    assert stored["operation_id"] == {"from": None, "to": operation.id}
    assert stored["visited_at"] == {"from": "2025-07-01T08:00+00:00",
                                    "to": "2025-07-01T14:00+00:00"}
    assert stored["materials"] == {"from": ["posters"], "to": ["leaflets", "training_sign_up"]}


def test_submitting_from_a_stale_page_asks_to_check_again(client, login_as, cast):
    visit = VisitFactory(officer=cast["officer"], premises=cast["shop"], status="draft",
                         submitted_at=None)
    login_as(cast["officer"])
    stale = lock_from(client.get(f"/visits/{visit.id}").text)
    page = client.get(f"/visits/{visit.id}/outcome").text
    client.post(f"/visits/{visit.id}/outcome", data={
        "outcome": "referred", "lock_version": lock_from(page)})
    response = client.post(f"/visits/{visit.id}/submit", data={"lock_version": stale})
    assert response.status_code == 409
    assert "Someone else changed this visit. Check it again" in response.text
    assert lock_from(response.text) == stale + 1
    db.session.expire_all()
    assert db.session.get(Visit, visit.id).status == "draft"


def test_visit_forms_carry_a_csrf_token(app, client, login_as, cast, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    login_as(cast["officer"])
    shop = cast["shop"]
    page = client.get(f"/visits/new?premises={shop.id}").text
    data = {**start_form(), "idempotency_key": key_from(page)}
    assert client.post(f"/visits/new?premises={shop.id}", data=data).status_code == 400
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    started = client.post(f"/visits/new?premises={shop.id}", data={**data, "csrf_token": token})
    assert started.status_code == 302
    visit = db.session.scalar(select(Visit))
    detail = client.get(f"/visits/{visit.id}").text
    assert detail.count('name="csrf_token"') >= 2  # the submit form and the sign-out form


def test_a_visit_must_fall_inside_its_operation(client, login_as, cast):
    """A 29 November visit cannot count in an operation that ran 16 to 22 November."""
    operation = OperationFactory(name="Operation Week", starts_on=date(2026, 11, 16),
                                 ends_on=date(2026, 11, 22))
    login_as(cast["officer"])
    shop = cast["shop"]
    page = client.get(f"/visits/new?premises={shop.id}").text
    late = start_form(today=date(2026, 11, 29), operation=f"{operation.id}|North")
    response = client.post(f"/visits/new?premises={shop.id}",
                           data={**late, "idempotency_key": key_from(page)})
    assert response.status_code == 200
    assert ("The visit date must be during Operation Week (16 November 2026 to 22 November "
            "2026), or choose no operation") in html.unescape(response.text)
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 0
    inside = start_form(today=date(2026, 11, 18), operation=f"{operation.id}|North")
    visit = start_visit(client, shop, **{k: v for k, v in inside.items()
                                         if k in ("visit_date", "operation")})
    assert visit.operation_id == operation.id

    # Changing the date of the visit later is held to the same rule.
    page = client.get(f"/visits/{visit.id}/details").text
    moved = client.post(f"/visits/{visit.id}/details", data={
        **start_form(today=date(2026, 11, 29), operation=f"{operation.id}|North"),
        "lock_version": lock_from(page)})
    assert "or choose no operation" in moved.text
    db.session.refresh(visit)
    assert uk_time_of(visit).date() == date(2026, 11, 18)


def uk_time_of(visit):
    from compliance.visits.timezone import uk_time

    return uk_time(visit.visited_at)


def test_the_board_shows_follow_ups_in_progress_and_recent_visits(client, login_as, cast):
    """The officer's board: each follow-up with its shop, action and status (overdue ones
    marked), recent visits with their shop and outcome; closed follow-ups are not there."""
    from datetime import timedelta

    from tests.visit_factories import FollowUpFactory

    officer, shop = cast["officer"], cast["shop"]
    visit = VisitFactory(premises=shop, officer=officer, outcome="referred")
    FollowUpFactory(visit=visit, action="Move the knives behind the counter",
                    due_on=date.today() - timedelta(days=2))
    FollowUpFactory(visit=visit, action="Train the Saturday staff", status="returned")
    FollowUpFactory(visit=visit, action="Long closed action", status="closed")
    login_as(officer)
    board = client.get("/visits/").text
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", board)).split())
    assert "Alpha High Street: Move the knives behind the counter Overdue" in text
    assert "Alpha High Street: Train the Saturday staff Returned" in text
    assert "Long closed action" not in text
    assert f'href="/visits/{visit.id}">Alpha High Street</a>' in board
    assert "Alpha High Street Referred to Trading Standards" in text


def test_each_kind_of_board_reads_its_own_visits_and_follow_ups(cast):
    """The board's statements are kept per kind of user with the user bound at each call:
    two officers of one agency, an officer of another, one of none and an admin each get
    their own drafts, recent visits and follow-ups."""
    from compliance.models import Role
    from compliance.visits import queries
    from tests.factories import UserFactory
    from tests.visit_factories import FollowUpFactory

    officer, colleague, stranger = cast["officer"], cast["colleague"], cast["stranger"]
    loner = UserFactory(role=Role.OFFICER, agency=None)
    visits = {who: VisitFactory(premises=cast["shop"], officer=who, agency=who.agency)
              for who in (officer, colleague, stranger, loner)}
    draft = VisitFactory(premises=cast["shop"], officer=officer, status="draft",
                         submitted_at=None)
    follow_ups = {who: FollowUpFactory(visit=v, action=f"Action for {who.name}")
                  for who, v in visits.items()}
    db.session.flush()

    def board(user):
        b = queries.dashboard(user)
        return ({v.id for v in b.drafts}, {v.id for v in b.recent},
                {f.id for f in b.follow_ups})

    ids = {who: (visits[who].id, follow_ups[who].id) for who in visits}
    assert board(officer) == ({draft.id}, {ids[officer][0]},
                              {ids[officer][1], ids[colleague][1]})
    assert board(colleague) == (set(), {ids[colleague][0]},
                                {ids[officer][1], ids[colleague][1]})
    assert board(stranger) == (set(), {ids[stranger][0]}, {ids[stranger][1]})
    assert board(loner) == (set(), {ids[loner][0]}, {ids[loner][1]})
    admin = board(cast["admin"])
    assert admin[1] == {v.id for v in visits.values()} and admin[0] == set()
    assert admin[2] == {f.id for f in follow_ups.values()}


@pytest.mark.parametrize("listed", [200, 1], ids=["listed", "joined"])
def test_an_agency_officers_board_follows_their_own_visits_outside_the_agency(
        cast, monkeypatch, listed):
    """The follow-ups in progress on an agency officer's board: their agency's submitted
    visits' (a range by the follow-up's copied agency) and their own visits' outside it (a
    draft's, one recorded for the agency they worked for before), never a colleague's draft's
    nor another agency's, nor a closed one. The officer's visits outside the agency are listed
    by id, or joined to past OUTSIDE_LISTED (here two against one)."""
    from compliance.followups import services as followups
    from compliance.visits import queries
    from tests.visit_factories import FollowUpFactory

    monkeypatch.setattr(followups, "OUTSIDE_LISTED", listed)
    officer, colleague, stranger = cast["officer"], cast["colleague"], cast["stranger"]

    def follow_up(action, closed=False, **visit):
        return FollowUpFactory(visit=VisitFactory(premises=cast["shop"], **visit),
                               action=action, status="closed" if closed else "open")

    shown = {follow_up("Colleague's submitted", officer=colleague, agency=colleague.agency),
             follow_up("Own draft", officer=officer, status="draft", submitted_at=None),
             follow_up("Own before the move", officer=officer, agency=stranger.agency)}
    hidden = {follow_up("Colleague's draft", officer=colleague, agency=colleague.agency,
                        status="draft", submitted_at=None),
              follow_up("Other agency", officer=stranger, agency=stranger.agency),
              follow_up("Closed", closed=True, officer=colleague, agency=colleague.agency)}
    db.session.flush()
    on_board = {f.id for f in queries.dashboard(officer).follow_ups}
    assert on_board == {f.id for f in shown}
    assert not on_board & {f.id for f in hidden}
