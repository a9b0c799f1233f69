"""The visit history presenter: stored raw values in, words out, stored values untouched."""

from __future__ import annotations

import copy

import pytest

from compliance.extensions import db
from compliance.models import VisitChange
from compliance.visits import services
from compliance.visits.history import ChangedField, describe, present_history
from tests.visit_factories import OfficerFactory, OperationFactory, VisitFactory

NAMES = {7: "Operation Sceptre, November 2026", 8: "Operation Blade, May 2027"}


def _one(key, before, after) -> ChangedField:
    [field] = describe({key: {"from": before, "to": after}}, NAMES)
    return field


@pytest.mark.parametrize("key, before, after, expected", [
    # UTC as stored, UK time as read: GMT in November, BST in July.
    ("visited_at", "2026-11-21T15:00+00:00", "2027-07-01T09:30+00:00",
     ("Date and time", "21 November 2026, 15:00", "1 July 2027, 10:30")),
    ("visit_type", "engagement", "test_purchase",
     ("Type", "Engagement and advice", "Test purchase")),
    ("operation_id", None, 7, ("Operation", "blank", "Operation Sceptre, November 2026")),
    ("operation_id", 8, 99, ("Operation", "Operation Blade, May 2027",
                             "Operation 99 (no longer listed)")),
    ("area", "North", None, ("Area", "North", "blank")),
    ("officers_present", "", "Olu Officer", ("Officers present", "blank", "Olu Officer")),
    ("person_spoken_to", "Pat", "Sam", ("Person spoken to", "Pat", "Sam")),
    ("person_role", None, "Owner", ("Their role", "blank", "Owner")),
    ("item 3", "no", "partly", ("Checklist item 3", "No", "Partly")),
    ("item 12", "yes", None, ("Checklist item 12", "Yes", "Not checked")),
    ("item 12 note", "Sign by the door", None,
     ("Checklist item 12, note", "Sign by the door", "blank")),
    ("test purchase sold", False, True, ("Test purchase result", "Refused: passed",
                                         "Sold: failed")),
    ("test purchase volunteer age", 15, 16, ("Volunteer's age", "15", "16")),
    ("test purchase item attempted", "Kitchen knife", "Lock knife",
     ("Item they tried to buy", "Kitchen knife", "Lock knife")),
    ("test purchase id asked", True, False, ("ID asked for", "Yes", "No")),
    ("test purchase staff member", None, "Till 2", ("Staff member", "blank", "Till 2")),
    ("test purchase letter sent", False, True, ("Outcome letter sent", "No", "Yes")),
    ("outcome", "advice_given", "non_compliant",
     ("Outcome", "Advice given", "Non-compliant, follow-up needed")),
    ("materials", [], ["posters", "training_sign_up"],
     ("Materials given", "None", "Posters, Training sign-up")),
    ("advice_given", "Move the knives", "", ("Advice given", "Move the knives", "blank")),
    ("officer_notes", None, "Seen before", ("Officer-only notes", "blank", "Seen before")),
    # Whatever is stored, the page still shows something readable.
    ("visited_at", "not a date", None, ("Date and time", "not a date", "blank")),
    ("outcome", None, "retired_code", ("Outcome", "blank", "retired_code")),
    ("new_field", 1, 2, ("New field", "1", "2")),
])
def test_each_stored_field_is_worded_as_on_the_visit_page(key, before, after, expected):
    assert _one(key, before, after) == ChangedField(*expected)


def test_fields_follow_the_order_of_the_visit_page():
    stored = {key: {"from": None, "to": "x"} for key in (
        "officer_notes", "zzz", "item 10 note", "item 10", "item 9", "outcome", "visited_at",
        "test purchase sold", "area")}
    assert [f.label for f in describe(stored, {})] == [
        "Date and time", "Area", "Checklist item 9", "Checklist item 10",
        "Checklist item 10, note", "Test purchase result", "Outcome", "Officer-only notes",
        "Zzz"]


def test_history_names_operations_in_one_query_and_leaves_the_stored_values_alone(
        count_queries):
    visit = VisitFactory()
    officer = OfficerFactory(name="Olu Officer")
    operations = [OperationFactory() for _ in range(5)]
    for before, after in zip(operations, operations[1:], strict=False):
        db.session.add(VisitChange(
            visit_id=visit.id, changed_by_id=officer.id, reason="Wrong operation",
            changes={"operation_id": {"from": before.id, "to": after.id},
                     "visit_type": {"from": "engagement", "to": "complaint"}}))
    db.session.flush()
    changes = services.visit_history(visit.id)
    stored = copy.deepcopy([c.changes for c in changes])

    with count_queries() as counter:
        history = present_history(changes)
    assert counter["n"] == 1
    assert [(e.changed_by, e.reason) for e in history] == [("Olu Officer", "Wrong operation")] * 4
    assert history[-1].fields == [  # newest first
        ChangedField("Type", "Engagement and advice", "Complaint"),
        ChangedField("Operation", operations[0].name, operations[1].name)]
    assert [c.changes for c in changes] == stored
    with count_queries() as counter:
        assert present_history([]) == []
    assert counter["n"] == 0
