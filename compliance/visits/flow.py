"""What each kind of visit records, in the order it happens on the street: the one place for
that rule. The section views walk it, the visit page lists it as a task list, and submission
checks it.

- Engagement: the details, the checklist (walked through, not required), the outcome.
- Test purchase: the details, the purchase, the outcome. The volunteer goes in before the
  officers show themselves, so the purchase comes first; the checklist is offered, optional.
- Follow-up check: the details, the checklist, the outcome; a re-test purchase is offered.
- Verification: the details, every checklist item (a certificate rests on it), the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from compliance.extensions import db
from compliance.models import ChecklistItem, Visit

DETAILS, CHECKLIST, TEST_PURCHASE, OUTCOME = "details", "checklist", "test_purchase", "outcome"


@dataclass(frozen=True)
class Section:
    key: str
    required: bool = True  # must be recorded before the visit can be submitted
    step: bool = True  # walked through in order; otherwise offered on the visit page


FLOWS: dict[str, tuple[Section, ...]] = {
    "engagement": (Section(DETAILS), Section(CHECKLIST, required=False), Section(OUTCOME)),
    "test_purchase": (Section(DETAILS), Section(TEST_PURCHASE), Section(OUTCOME),
                      Section(CHECKLIST, required=False, step=False)),
    "follow_up": (Section(DETAILS), Section(CHECKLIST, required=False), Section(OUTCOME),
                  Section(TEST_PURCHASE, required=False, step=False)),
    "verification": (Section(DETAILS), Section(CHECKLIST), Section(OUTCOME)),
}
KINDS = tuple(FLOWS)
# Before a kind is chosen, a visit is an engagement visit.
_DEFAULT = "engagement"


def sections(visit_type: str | None) -> tuple[Section, ...]:
    """The sections a kind of visit has, steps first in street order, then the optional ones."""
    flow = FLOWS.get(visit_type or _DEFAULT, FLOWS[_DEFAULT])
    return tuple(s for s in flow if s.step) + tuple(s for s in flow if not s.step)


def shown(visit: Visit) -> tuple[Section, ...]:
    """The sections the visit page shows: its kind's, plus any already recorded (a kind
    changed after a test purchase was saved keeps it visible)."""
    own = sections(visit.visit_type)
    keys = {s.key for s in own}
    extra = ()
    if TEST_PURCHASE not in keys and visit.test_purchases:
        extra = (Section(TEST_PURCHASE, required=False, step=False),)
    if CHECKLIST not in keys and visit.findings:
        extra += (Section(CHECKLIST, required=False, step=False),)
    return own + extra


def has(visit_type: str | None, key: str) -> bool:
    return any(s.key == key for s in sections(visit_type))


def next_step(visit_type: str | None, after: str) -> str | None:
    """The step that follows `after` for this kind, or None when the visit page is next
    (an optional section, opened from the visit page, goes back there)."""
    steps = [s.key for s in sections(visit_type) if s.step]
    if after not in steps:
        return None
    index = steps.index(after) + 1
    return steps[index] if index < len(steps) else None


def _current_item_keys() -> set[str]:
    return set(db.session.scalars(select(ChecklistItem.key).where(ChecklistItem.is_current)))


def is_done(visit: Visit, key: str) -> bool:
    """Whether a section holds what it needs (visit loaded with findings and purchases)."""
    if key == DETAILS:
        return visit.visited_at is not None and visit.visit_type is not None
    if key == TEST_PURCHASE:
        return bool(visit.test_purchases)
    if key == OUTCOME:
        return visit.outcome is not None
    if key == CHECKLIST:
        if visit.visit_type == "verification":  # every current item, not just some
            return _current_item_keys() <= {f.item.key for f in visit.findings}
        return bool(visit.findings)
    raise ValueError(key)


def missing(visit: Visit) -> list[str]:
    """The required sections not yet recorded, in the order of the kind's flow."""
    return [s.key for s in sections(visit.visit_type) if s.required and not is_done(visit, s.key)]


@dataclass(frozen=True)
class Task:
    key: str
    required: bool
    done: bool


def tasks(visit: Visit) -> list[Task]:
    """The visit page's task list, in the kind's order."""
    return [Task(s.key, s.required, is_done(visit, s.key)) for s in shown(visit)]
