"""Where the section pages of a visit lead: the kind's next step (flow.py), or the visit page."""

from __future__ import annotations

from flask import url_for

from compliance.visits import flow
from compliance.visits.checklist import checklist_groups


def section_url(visit, key: str, **args) -> str:
    """The first page of one section of a visit."""
    if key == flow.CHECKLIST:
        groups = checklist_groups()
        return url_for("visits.checklist", visit_id=visit.id,
                       position=groups[0].position if groups else 1, **args)
    endpoint = {flow.DETAILS: "visits.details", flow.TEST_PURCHASE: "visits.test_purchase",
                flow.OUTCOME: "visits.outcome"}[key]
    return url_for(endpoint, visit_id=visit.id, **args)


def step_after(visit, key: str) -> str:
    """The kind's next step after a section, or the visit page (check and submit)."""
    following = flow.next_step(visit.visit_type, key)
    if following is None:
        return url_for("visits.detail", visit_id=visit.id)
    return section_url(visit, following)
