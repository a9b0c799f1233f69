"""The outbox sync API: a whole visit from queued sections, safely repeated, conflicts,
rejections with the server's message, and who may send what."""

from __future__ import annotations

from sqlalchemy import func, select

from compliance.extensions import db
from compliance.models import AuditEvent, Premises, TestPurchase, Visit
from compliance.offline.bundle import checklist_version
from compliance.visits import services
from tests.functional.offline.helpers import (
    JSON,
    SYNC,
    details,
    new_key,
    new_shop,
    outcome,
    purchase,
    send,
)
from tests.visit_factories import VisitFactory


def _visit(key: str) -> Visit:
    db.session.expire_all()
    found = db.session.scalar(select(Visit.id).where(Visit.idempotency_key == key))
    return services.load_visit(found) if found else None


def _record(client, key, checklist, shop_id=None, twice=False) -> dict:
    """Send every section of a test-purchase visit in order, as the device does."""
    sends = 2 if twice else 1
    if shop_id is None:
        for _ in range(sends):
            made = send(client, key, "shop", new_shop())
            assert made.status_code == 200, made.text
        shop_id = made.json["premises_id"]
    lock = None
    item = checklist[0]
    steps = [("start", details(), {}),
             ("checklist", {f"cl{item.group_position}-item_{item.id}": "yes",
                            f"cl{item.group_position}-note_{item.id}": "Sign at till"},
              {"position": item.group_position, "checklist_version": checklist_version()}),
             ("test_purchase", purchase(), {}), ("outcome", outcome(), {}), ("submit", {}, {})]
    for section, fields, extra in steps:
        first_lock = lock
        for _ in range(sends):  # a retry after a lost response sends the same lock again
            response = send(client, key, section, fields, premises_id=shop_id,
                            lock_version=first_lock, **extra)
            assert response.status_code == 200, (section, response.text)
        lock = response.json["lock_version"]
    return response.json


def test_a_whole_visit_with_a_new_shop(client, login_as, cast, checklist):
    officer = login_as(cast["officer"])
    key = new_key()
    result = _record(client, key, checklist)
    visit = _visit(key)
    assert result["visit_status"] == "submitted" and result["url"] == f"/visits/{visit.id}"
    assert visit.officer_id == officer.id and visit.visit_type == "test_purchase"
    assert visit.premises.name == "Corner Cutlery" and visit.premises.postcode == "TB1 1AA"
    assert visit.premises.claim_code  # added by an officer: the shop can claim it later
    assert visit.outcome == "advice_given" and visit.materials == ["posters"]
    assert visit.advice_given == "Ask for ID" and visit.officer_notes == "Busy till"
    purchase_row = visit.test_purchases[0]
    assert (purchase_row.volunteer_age, purchase_row.sold, purchase_row.staff_member) == \
        (15, True, "Till 2")
    assert [(f.item.key, f.answer, f.note) for f in visit.findings] == \
        [(checklist[0].key, "yes", "Sign at till")]


def test_every_section_sent_twice_creates_nothing_twice(client, login_as, cast, checklist):
    login_as(cast["officer"])
    key = new_key()
    _record(client, key, checklist, twice=True)
    assert db.session.scalar(select(func.count()).select_from(Premises)
                             .where(Premises.name == "Corner Cutlery")) == 1
    assert db.session.scalar(select(func.count()).select_from(Visit)
                             .where(Visit.idempotency_key == key)) == 1
    visit = _visit(key)
    assert db.session.scalar(select(func.count()).select_from(TestPurchase)
                             .where(TestPurchase.visit_id == visit.id)) == 1
    assert len(visit.findings) == 1 and visit.status == "submitted"
    for action in ("visit_started", "visit_submitted", "premises_added_by_officer"):
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action)) == 1, action


def test_a_change_made_elsewhere_is_a_conflict_with_both_versions(client, login_as, cast):
    login_as(cast["officer"])
    key = new_key()
    started = send(client, key, "start", details(), premises_id=cast["shop"].id).json
    lock = started["lock_version"]
    # Meanwhile, in another session, the officer records the outcome online.
    elsewhere = client.post(f"/visits/{started['visit_id']}/outcome", data={
        "lock_version": lock, "outcome": "compliant", "advice_given": "All good"})
    assert elsewhere.status_code == 302
    response = send(client, key, "outcome", outcome(), lock_version=lock)
    assert response.status_code == 409
    body = response.json
    assert body["status"] == "conflict" and body["lock_version"] > lock
    theirs = {row["label"]: row["value"] for row in body["theirs"]}
    yours = {row["label"]: row["value"] for row in body["yours"]}
    assert theirs["Outcome"] == "Compliant" and yours["Outcome"] == "Advice given"
    assert theirs["Advice given (optional)"] == "All good"
    assert yours["Advice given (optional)"] == "Ask for ID"
    assert _visit(key).outcome == "compliant"  # never overwritten silently
    # The officer chooses their version: sent again on the current lock, it is saved.
    kept = send(client, key, "outcome", outcome(), lock_version=body["lock_version"])
    assert kept.status_code == 200 and _visit(key).outcome == "advice_given"


def test_the_same_section_again_on_an_old_lock_is_not_a_conflict(client, login_as, cast):
    login_as(cast["officer"])
    key = new_key()
    lock = send(client, key, "start", details(), premises_id=cast["shop"].id).json[
        "lock_version"]
    first = send(client, key, "outcome", outcome(), lock_version=lock)
    again = send(client, key, "outcome", outcome(), lock_version=lock)  # the reply was lost
    assert first.status_code == again.status_code == 200
    assert again.json["lock_version"] == first.json["lock_version"]


def test_rejections_come_back_with_the_servers_message(client, login_as, cast, checklist):
    login_as(cast["officer"])
    key = new_key()
    no_shop = send(client, key, "start", details())
    assert no_shop.status_code == 422
    assert no_shop.json["errors"][0]["message"] == "Choose the shop you visited"
    early = send(client, key, "outcome", outcome(), lock_version=0)
    assert early.status_code == 422 and "not reached the server" in early.text
    lock = send(client, key, "start", details(), premises_id=cast["shop"].id).json[
        "lock_version"]
    bad = send(client, key, "test_purchase", purchase(**{"tp-volunteer_age": "30",
                                                         "tp-sold": ""}), lock_version=lock)
    assert bad.status_code == 422
    assert bad.json["errors"] == [
        {"field": "tp-volunteer_age", "message": "Volunteer's age must be between 13 and 17"},
        {"field": "tp-sold", "message": "Select whether the item was sold or refused"}]
    missing = send(client, key, "outcome", outcome(**{"outcome-outcome": ""}),
                   lock_version=lock)
    assert missing.json["errors"][0]["message"] == "Select the outcome of the visit"
    item = checklist[0]
    stale = send(client, key, "checklist", {}, lock_version=lock, position=item.group_position,
                 checklist_version="0" * 16)
    assert stale.status_code == 422 and "checklist has changed" in stale.text
    incomplete = send(client, key, "submit", {}, lock_version=lock)
    assert incomplete.status_code == 422 and "test_purchase" in incomplete.text
    bad_shop = send(client, new_key(), "shop", new_shop(**{"shop-postcode": "nope"}))
    assert bad_shop.json["errors"] == [{"field": "shop-postcode",
                                        "message": "Enter a real postcode, like SW1A 1AA"}]
    assert _visit(key).outcome is None and not _visit(key).test_purchases


def test_a_submitted_visit_changes_only_online(client, login_as, cast):
    officer = login_as(cast["officer"])
    visit = VisitFactory(officer=officer, premises=cast["shop"])
    response = send(client, visit.idempotency_key, "outcome", outcome(),
                    lock_version=visit.lock_version)
    assert response.status_code == 422 and "giving a reason" in response.text


def test_bodies_that_are_not_sections(client, login_as, cast):
    login_as(cast["officer"])
    for body in ([1, 2], {"visit": "x", "section": "start"},
                 {"visit": new_key(), "section": "delete"},
                 {"visit": new_key(), "section": "start", "lock_version": "1"},
                 {"visit": new_key(), "section": "start", "fields": {"a": 1}},
                 {"visit": new_key(), "section": "start", "fields": ["a"]}):
        response = client.post(SYNC, json=body, headers=JSON)
        assert response.status_code == 422, body
    nul = send(client, new_key(), "shop", new_shop(**{"shop-premises_name": "A\x00B"}))
    assert nul.status_code == 200 and nul.json["name"] == "AB"


def test_only_officers_send(client, login_as, cast):
    assert send(client, new_key(), "start", details()).status_code == 401
    for who in ("manager", "admin"):
        login_as(cast[who])
        assert send(client, new_key(), "start", details(),
                    premises_id=cast["shop"].id).status_code == 403


def test_only_their_own_outbox(client, login_as, cast):
    login_as(cast["officer"])
    key = new_key()
    lock = send(client, key, "start", details(), premises_id=cast["shop"].id).json[
        "lock_version"]
    login_as(cast["colleague"])  # same agency, but the draft is not theirs
    again = send(client, key, "start", details(), premises_id=cast["shop"].id)
    assert again.status_code == 403 and again.json["status"] == "forbidden"
    changed = send(client, key, "outcome", outcome(), lock_version=lock)
    assert changed.status_code == 403
    assert _visit(key).outcome is None


def test_the_json_api_needs_the_csrf_token(app, client, login_as, cast, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    login_as(cast["officer"])
    refused = send(client, new_key(), "start", details(), premises_id=cast["shop"].id)
    assert refused.status_code == 400
    token = client.get("/offline/api/token", headers=JSON).json["csrf_token"]
    key = new_key()
    body = {"visit": key, "section": "start", "fields": details(),
            "premises_id": cast["shop"].id}
    accepted = client.post(SYNC, json=body, headers={**JSON, "X-CSRFToken": token})
    assert accepted.status_code == 200, accepted.text
    assert _visit(key) is not None


def test_other_pages_still_refuse_json(client, login_as, cast):
    login_as(cast["officer"])
    response = client.post("/visits/premises/new", json={"premises_name": "x"})
    assert response.status_code == 400


def _changed_elsewhere(client, key, shop, lock, fields, section, **extra):
    """A section saved from this phone, then the same section changed by another session."""
    response = send(client, key, section, fields, lock_version=lock, **extra)
    assert response.status_code == 200, response.text
    return response.json["lock_version"]


def test_conflicts_in_every_section_show_both_versions(client, login_as, cast, checklist):
    login_as(cast["officer"])
    key = new_key()
    lock = send(client, key, "start", details(), premises_id=cast["shop"].id).json[
        "lock_version"]
    item = checklist[0]
    part = {"position": item.group_position, "checklist_version": checklist_version()}
    prefix = f"cl{item.group_position}"
    # Another session saves each section first, moving the visit on.
    newer = _changed_elsewhere(client, key, cast["shop"], lock,
                               {f"{prefix}-item_{item.id}": "no"}, "checklist", **part)
    newer = _changed_elsewhere(client, key, cast["shop"], newer, purchase(), "test_purchase")
    stale_checklist = send(client, key, "checklist", {f"{prefix}-item_{item.id}": "yes"},
                           lock_version=lock, **part)
    assert stale_checklist.status_code == 409
    label = f"{item.number}. {item.officer_check}"
    assert {"label": label, "value": "No"} in stale_checklist.json["theirs"]
    assert {"label": label, "value": "Yes"} in stale_checklist.json["yours"]
    assert {"label": f"Note on: {label}", "value": "Not given"} in stale_checklist.json["yours"]
    stale_purchase = send(client, key, "test_purchase", purchase(**{"tp-sold": "refused"}),
                          lock_version=lock)
    assert stale_purchase.status_code == 409
    assert {"label": "Was the item sold?", "value": "Sold: the test purchase failed"} in \
        stale_purchase.json["theirs"]
    assert {"label": "Was the item sold?", "value": "Refused: the test purchase passed"} in \
        stale_purchase.json["yours"]
    newer = _changed_elsewhere(client, key, cast["shop"], newer, outcome(), "outcome")
    stale_submit = send(client, key, "submit", {}, lock_version=lock)
    assert stale_submit.status_code == 409 and stale_submit.json["lock_version"] == newer
    assert _visit(key).status == "draft"
    assert send(client, key, "submit", {}, lock_version=newer).status_code == 200
    assert _visit(key).status == "submitted"


def test_a_visit_synced_later_may_name_an_operation_the_form_no_longer_offers(
        app, client, login_as, cast, monkeypatch):
    """Recorded offline during an operation, sent once it has dropped off the form's list."""
    from datetime import timedelta

    from compliance.models.base import utcnow
    from tests.functional.offline.helpers import details, new_key, new_shop, send
    from tests.visit_factories import OperationFactory

    monkeypatch.setitem(app.config, "VISIT_FORM_OPERATION_DAYS", 5)
    day = utcnow().date() - timedelta(days=40)
    old = OperationFactory(name="Spring Week", starts_on=day - timedelta(days=2),
                           ends_on=day + timedelta(days=2), areas=["North"])
    login_as(cast["officer"])
    assert "Spring Week" not in client.get("/offline/visit").text
    key = new_key()
    shop = send(client, key, "shop", new_shop()).json["premises_id"]
    started = send(client, key, "start", details(day, **{"details-operation": f"{old.id}|North"}),
                   premises_id=shop, lock_version=None)
    assert started.status_code == 200, started.text
    assert _visit(key).operation_id == old.id and _visit(key).area == "North"
