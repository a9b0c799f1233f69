"""Each kind of visit walks its own sections in street order, and submits on its own rules."""

from __future__ import annotations

import html
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from compliance.extensions import db
from compliance.models import Visit
from compliance.visits.timezone import from_uk
from tests.functional.visits.helpers import key_from, lock_from, start_form, start_visit
from tests.visit_factories import OperationFactory

PURCHASE = {"volunteer_age": "15", "item_attempted": "Kitchen knife", "id_asked": "no",
            "sold": "refused", "staff_member": "", "letter_sent": "yes"}
OUTCOME = {"outcome": "compliant", "advice_given": "", "officer_notes": ""}


def save(client, url: str, data: dict):
    page = client.get(url)
    assert page.status_code == 200, url
    return client.post(url, data={**data, "lock_version": lock_from(page.text)})


def test_a_test_purchase_takes_four_screens(client, login_as, cast, checklist):
    """Details and kind, the purchase, the outcome, then check and submit: no checklist."""
    login_as(cast["officer"])
    shop = cast["shop"]
    screens = [f"/visits/new?premises={shop.id}"]
    page = client.get(screens[0]).text
    assert "A young volunteer tries to buy a bladed item" in page  # the kinds explain themselves
    started = client.post(screens[0], data={**start_form(visit_type="test_purchase"),
                                            "idempotency_key": key_from(page)})
    visit = db.session.scalar(select(Visit))
    assert started.headers["Location"].endswith(f"/visits/{visit.id}/test-purchase")
    screens.append(started.headers["Location"])
    bought = save(client, screens[-1], PURCHASE)
    assert bought.headers["Location"].endswith(f"/visits/{visit.id}/outcome")
    screens.append(bought.headers["Location"])
    outcome = save(client, screens[-1], OUTCOME)
    assert outcome.headers["Location"].endswith(f"/visits/{visit.id}")
    screens.append(outcome.headers["Location"])
    check = client.get(screens[-1]).text
    assert "The checklist is optional on this kind of visit" in check
    assert "Checklist (optional)" in check
    submitted = client.post(f"/visits/{visit.id}/submit",
                            data={"lock_version": lock_from(check)})
    assert submitted.status_code == 302
    db.session.expire_all()
    assert db.session.get(Visit, visit.id).status == "submitted"
    assert len(screens) == 4


def test_the_optional_checklist_on_a_test_purchase_returns_to_the_visit(client, login_as, cast,
                                                                        checklist):
    login_as(cast["officer"])
    visit = start_visit(client, cast["shop"], visit_type="test_purchase")
    last = max(i.group_position for i in checklist)
    first = min(i.group_position for i in checklist)
    item = next(i for i in checklist if i.group_position == last)
    done = save(client, f"/visits/{visit.id}/checklist/{last}", {f"item_{item.id}": "yes"})
    assert done.headers["Location"].endswith(f"/visits/{visit.id}")
    middle = save(client, f"/visits/{visit.id}/checklist/{first}", {})
    assert f"/checklist/{first + 1}" in middle.headers["Location"]


@pytest.mark.parametrize("kind, steps", [
    ("engagement", ["checklist/1", "outcome", ""]),
    ("follow_up", ["checklist/1", "outcome", ""]),
    ("verification", ["checklist/1", "outcome", ""]),
])
def test_each_kind_walks_its_sections_in_order(client, login_as, cast, checklist, kind, steps):
    login_as(cast["officer"])
    shop = cast["shop"]
    page = client.get(f"/visits/new?premises={shop.id}").text
    started = client.post(f"/visits/new?premises={shop.id}", data={
        **start_form(visit_type=kind), "idempotency_key": key_from(page)})
    visit = db.session.scalar(select(Visit))
    assert started.headers["Location"].endswith(f"/visits/{visit.id}/{steps[0]}")
    last = max(i.group_position for i in checklist)
    after_checklist = save(client, f"/visits/{visit.id}/checklist/{last}", {})
    assert after_checklist.headers["Location"].endswith(f"/visits/{visit.id}/{steps[1]}")
    after_outcome = save(client, f"/visits/{visit.id}/outcome", OUTCOME)
    assert after_outcome.headers["Location"].rstrip("/").endswith(f"/visits/{visit.id}")


def _submit(client, visit):
    page = client.get(f"/visits/{visit.id}").text
    return client.post(f"/visits/{visit.id}/submit", data={"lock_version": lock_from(page)})


def test_a_test_purchase_cannot_be_submitted_without_the_purchase(client, login_as, cast,
                                                                  checklist):
    login_as(cast["officer"])
    visit = start_visit(client, cast["shop"], visit_type="test_purchase")
    save(client, f"/visits/{visit.id}/outcome", OUTCOME)
    refused = _submit(client, visit)
    assert refused.status_code == 400
    assert "Record the test purchase" in refused.text
    assert f'href="/visits/{visit.id}/test-purchase?change=1"' in refused.text
    save(client, f"/visits/{visit.id}/test-purchase", PURCHASE)
    assert _submit(client, visit).status_code == 302


def test_a_verification_visit_needs_every_checklist_item(client, login_as, cast, checklist):
    login_as(cast["officer"])
    visit = start_visit(client, cast["shop"], visit_type="verification")
    save(client, f"/visits/{visit.id}/outcome", OUTCOME)
    positions = sorted({i.group_position for i in checklist})
    for position in positions[:-1]:
        save(client, f"/visits/{visit.id}/checklist/{position}",
             {f"item_{i.id}": "yes" for i in checklist if i.group_position == position})
    refused = _submit(client, visit)
    assert refused.status_code == 400
    assert "Record a finding for every checklist item" in refused.text
    save(client, f"/visits/{visit.id}/checklist/{positions[-1]}",
         {f"item_{i.id}": "na" for i in checklist if i.group_position == positions[-1]})
    assert _submit(client, visit).status_code == 302


def test_an_engagement_visit_submits_without_checklist_findings(client, login_as, cast,
                                                                checklist):
    login_as(cast["officer"])
    visit = start_visit(client, cast["shop"], visit_type="engagement")
    refused = _submit(client, visit)
    assert refused.status_code == 400 and "Record the outcome of the visit" in refused.text
    assert "Record the checklist" not in refused.text
    save(client, f"/visits/{visit.id}/outcome", OUTCOME)
    assert _submit(client, visit).status_code == 302


def test_the_former_complaint_kind_is_refused(client, login_as, cast):
    login_as(cast["officer"])
    shop = cast["shop"]
    page = client.get(f"/visits/new?premises={shop.id}").text
    response = client.post(f"/visits/new?premises={shop.id}", data={
        **start_form(visit_type="complaint"), "idempotency_key": key_from(page)})
    assert response.status_code == 200
    assert db.session.scalar(select(Visit)) is None


def test_the_database_refuses_an_unknown_kind(cast):
    from sqlalchemy.exc import IntegrityError

    from tests.visit_factories import VisitFactory

    with pytest.raises(IntegrityError), db.session.begin_nested():
        VisitFactory(premises=cast["shop"], visit_type="complaint")


@pytest.mark.parametrize("day, hhmm, inside", [
    (date(2026, 11, 16), "00:00", True),   # the first minute of the operation
    (date(2026, 11, 22), "23:59", True),   # its last minute
    (date(2026, 11, 15), "23:59", False),  # the minute before it started
    (date(2026, 11, 23), "00:00", False),  # the minute after it ended
])
def test_operation_date_edges(app, monkeypatch, client, login_as, cast, day, hhmm, inside):
    # Fixed dates (GMT) that stay on the form whenever the test runs.
    monkeypatch.setitem(app.config, "VISIT_FORM_OPERATION_DAYS", 100_000)
    operation = OperationFactory(name="Operation Edge", starts_on=date(2026, 11, 16),
                                 ends_on=date(2026, 11, 22))
    login_as(cast["officer"])
    shop = cast["shop"]
    page = client.get(f"/visits/new?premises={shop.id}").text
    response = client.post(f"/visits/new?premises={shop.id}", data={
        **start_form(today=day, visit_time=hhmm, operation=f"{operation.id}|North"),
        "idempotency_key": key_from(page)})
    visit = db.session.scalar(select(Visit))
    if inside:
        assert response.status_code == 302
        assert visit.operation_id == operation.id
        assert visit.visited_at == from_uk(day, time(*map(int, hhmm.split(":"))))
    else:
        assert visit is None
        assert "The visit date must be during Operation Edge" in html.unescape(response.text)


def test_an_operation_cannot_shrink_to_leave_its_visits_outside(client, login_as, cast):
    """Moving an operation's dates is held to the same rule as moving a visit's."""
    from tests.visit_factories import VisitFactory

    operation = OperationFactory(name="Operation Shrink", starts_on=date(2026, 11, 16),
                                 ends_on=date(2026, 11, 22), areas=["North"])
    VisitFactory(premises=cast["shop"], officer=cast["officer"], operation_id=operation.id,
                 visited_at=from_uk(date(2026, 11, 22), time(23, 30)))
    login_as(cast["admin"])
    form = {"name": "Operation Shrink", "starts_on": ["16", "11", "2026"], "areas": "North"}
    refused = client.post(f"/visits/operations/{operation.id}/edit",
                          data={**form, "ends_on": ["21", "11", "2026"]})
    assert refused.status_code == 200
    assert "1 visit assigned to this operation is outside these dates" in refused.text
    db.session.refresh(operation)
    assert operation.ends_on == date(2026, 11, 22)
    moved = client.post(f"/visits/operations/{operation.id}/edit",
                        data={**form, "ends_on": ["23", "11", "2026"]})
    assert moved.status_code == 302


def test_the_visit_form_offers_current_and_recent_operations_only(client, login_as, cast):
    """Years of operations would make the select hundreds of options long (issue 15)."""
    today = date.today()
    running = OperationFactory(name="Operation Running")
    recent = OperationFactory(name="Operation Recent", starts_on=today - timedelta(days=60),
                              ends_on=today - timedelta(days=53))
    old = OperationFactory(name="Operation Long Ago", starts_on=today - timedelta(days=400),
                           ends_on=today - timedelta(days=393))
    login_as(cast["officer"])
    shop = cast["shop"]
    page = client.get(f"/visits/new?premises={shop.id}").text
    assert "Operation Running" in page and "Operation Recent" in page
    assert "Operation Long Ago" not in page
    refused = client.post(f"/visits/new?premises={shop.id}", data={
        **start_form(today=today - timedelta(days=396), operation=str(old.id)),
        "idempotency_key": key_from(page)})
    assert refused.status_code == 200 and db.session.scalar(select(Visit)) is None
    # A visit already in an old operation keeps it on its details page.
    visit = start_visit(client, shop, operation=str(running.id))
    visit.operation_id = old.id
    db.session.flush()
    details = client.get(f"/visits/{visit.id}/details").text
    assert "Operation Long Ago" in details and recent.name in details
    # Correcting an old visit offers the operations of its own time.
    visit.operation_id = None
    visit.visited_at = from_uk(today - timedelta(days=396), time(10, 0))
    db.session.flush()
    details = client.get(f"/visits/{visit.id}/details").text
    assert "Operation Long Ago" in details
