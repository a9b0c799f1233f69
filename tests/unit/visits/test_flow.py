"""The one rule for which sections each kind of visit records, and in which order."""

from __future__ import annotations

import pytest

from compliance.visits import flow
from compliance.visits.labels import VISIT_TYPES


def test_every_offered_kind_has_a_flow():
    assert set(VISIT_TYPES) == set(flow.FLOWS)


@pytest.mark.parametrize("kind, steps, optional", [
    ("engagement", ["details", "checklist", "outcome"], ["checklist"]),
    ("test_purchase", ["details", "test_purchase", "outcome"], ["checklist"]),
    ("follow_up", ["details", "checklist", "outcome"], ["checklist", "test_purchase"]),
    ("verification", ["details", "checklist", "outcome"], []),
])
def test_steps_in_street_order(kind, steps, optional):
    sections = flow.sections(kind)
    assert [s.key for s in sections if s.step] == steps
    assert sorted(s.key for s in sections if not s.required) == sorted(optional)


@pytest.mark.parametrize("kind, after, following", [
    ("test_purchase", "details", "test_purchase"),
    ("test_purchase", "test_purchase", "outcome"),
    ("test_purchase", "outcome", None),
    ("test_purchase", "checklist", None),  # optional: back to the visit page
    ("engagement", "details", "checklist"),
    ("engagement", "checklist", "outcome"),
    ("follow_up", "test_purchase", None),
    (None, "details", "checklist"),  # no kind yet: an engagement visit
])
def test_next_step(kind, after, following):
    assert flow.next_step(kind, after) == following
