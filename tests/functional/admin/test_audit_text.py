"""The audit log reads as sentences about things ("Visit to Riverside Cutlery ... submitted"),
never internal action codes, "premises 6" or UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from compliance import audit
from compliance.admin.audit_text import ACTIONS, TARGETS
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Role
from tests.factories import PremisesFactory, UserFactory
from tests.visit_factories import VisitFactory

SOURCE = Path(__file__).resolve().parents[3] / "compliance"
CODE = re.compile(r'"([a-z]+(?:_[a-z]+)+)"')
RECORD = re.compile(r"audit\.record\(\s*\w+,\s*(.*)")
ID_TALK = re.compile(r"\b(premises|visit|user|account|follow-up|entry|attempt|request) \d+\b")


def _recorded_actions() -> set[str]:
    """Every action code a service passes to audit.record (literal, or set just before)."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        lines = path.read_text().splitlines()
        for i, line in enumerate(lines):
            match = RECORD.search(line)
            if not match:
                continue
            found.update(CODE.findall(match.group(1)))
            if match.group(1).startswith("action,") and lines[i - 1].strip().startswith("action ="):
                found.update(CODE.findall(lines[i - 1]))
            if "follow_up_{" in match.group(1):
                found.update({"follow_up_closed", "follow_up_returned"})
    return found


def test_every_recorded_action_has_a_label_and_a_sentence():
    actions = _recorded_actions()
    assert {"visit_submitted", "account_deactivated", "agency_updated",
            "follow_up_returned"} <= actions  # the scan finds computed codes too
    assert sorted(actions - set(ACTIONS)) == []


def test_every_sentence_names_only_fields_its_target_gives():
    given = {key for _q, fields in TARGETS.values() for key in fields((1, "x", None, None))}
    for action, (_label, sentence) in ACTIONS.items():
        names = set(re.findall(r"{(\w+)}", str(sentence)))
        assert names <= given | {"reason", "summary"}, action


def _admin_page(client, login_as, **query) -> str:
    login_as(UserFactory(role=Role.ADMIN))
    return client.get("/admin/audit", query_string=query).text


def test_the_audit_log_describes_events_by_name(client, login_as):
    officer = UserFactory(role=Role.OFFICER, name="Olu Officer")
    visit = VisitFactory(premises=PremisesFactory(name="Riverside Cutlery"), officer=officer,
                         visited_at=datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    actor = Actor(officer, "192.0.2.7")
    audit.record(actor, "visit_submitted", f"Submitted a visit to premises {visit.premises_id}",
                 target=visit)
    audit.record(actor, "premises_updated", "Updated premises 6", target=visit.premises)
    audit.record(actor, "sign_in", "Signed in", target=officer)
    db.session.flush()
    page = _admin_page(client, login_as)
    # 23:30 UTC on 1 July is 00:30 on 2 July in the UK (BST).
    assert "Visit to Riverside Cutlery on 2 July 2026 submitted" in page
    assert "Details of Riverside Cutlery changed" in page
    assert "Olu Officer signed in" in page
    assert ">Visit submitted</td>" in page
    table = page.split("<table", 1)[1]
    assert not ID_TALK.search(table), ID_TALK.search(table)
    assert not CODE.sub("", table).count("_submitted") and "visit_submitted" not in table
    assert " UTC" not in page


def test_an_event_whose_record_is_gone_shows_its_label_without_ids(client, login_as):
    officer = UserFactory(role=Role.OFFICER)
    event = audit.record(Actor(officer), "follow_up_answered", "Answered follow-up 99")
    event.target_type, event.target_id = "FollowUp", 999_999
    db.session.flush()
    page = _admin_page(client, login_as)
    assert ">Follow-up answered</td>" in page
    assert "follow-up 99" not in page.lower().split("<table", 1)[1]


def test_reasons_are_kept(client, login_as):
    admin = UserFactory(role=Role.ADMIN)
    from tests.factories import UserFactory as U

    person = U(name="Kim Trainee")
    audit.record(Actor(admin), "sign_in_failed", "Failed sign-in: wrong password", target=person)
    db.session.flush()
    page = _admin_page(client, login_as, action="sign_in_failed")
    assert "Failed sign-in: wrong password" in page
    assert ">Sign-in failed</option>" in page


def test_a_sentence_without_its_reason_drops_the_reason_and_unknown_codes_read_as_words(app):
    from compliance.admin.audit_text import _sentence, action_label
    from compliance.models import AuditEvent

    revoked = AuditEvent(action="certificate_revoked", summary="Revoked certificate",
                         target_type="Certificate", target_id=1)
    found = {"code": "KSC-1", "holder": "Jo Staff"}
    assert _sentence(revoked, found) == "Certificate KSC-1 (Jo Staff) revoked"
    assert _sentence(revoked, {}) == "Certificate revoked"
    assert action_label("something_new_happened") == "Something new happened"


def test_the_audit_log_runs_a_constant_number_of_queries(client, login_as, count_queries):
    """Naming targets costs one query per kind of target, however many events."""
    login_as(UserFactory(role=Role.ADMIN))

    def grow(n: int) -> None:
        for _ in range(n):
            user, premises = UserFactory(), PremisesFactory()
            db.session.flush()
            audit.record(Actor(user, "192.0.2.1"), "sign_in", "Signed in", target=user)
            audit.record(Actor(user, "192.0.2.1"), "premises_updated",
                         f"Updated premises {premises.name}", target=premises)
            db.session.flush()

    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/admin/audit").status_code == 200
        return counter["n"]

    grow(1)
    one = queries()
    grow(19)
    assert queries() == one


def test_a_long_audit_log_pages_newest_first_and_counts_only_so_far(app, client, login_as,
                                                                     monkeypatch):
    """The log grows with every sign-in: its count stops at LIST_COUNT_CAP, and the action
    filter offers every action the portal records without reading the log for them."""
    from datetime import timedelta

    from compliance.models import AuditEvent
    from compliance.models.base import utcnow

    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    monkeypatch.setitem(app.config, "LIST_COUNT_CAP", 4)
    admin = login_as(UserFactory(role=Role.ADMIN))
    now = utcnow()
    for n in range(6):
        db.session.add(AuditEvent(at=now - timedelta(hours=n), actor_id=admin.id,
                                  action="sign_in", summary=f"Signed in {n}"))
    db.session.flush()
    first = client.get("/admin/audit").text
    assert "More than 4 events" in first and "Page 1</p>" in first
    assert '<option value="question_retired">Question retired</option>' in first
    third = client.get("/admin/audit?page=3").text
    assert admin.email in third and "Page 3</p>" in third
    assert 'href="/admin/audit?page=2"' in third and 'href="/admin/audit?page=4"' not in third
    filtered = client.get("/admin/audit?action=question_retired").text
    assert "0 events" in filtered
