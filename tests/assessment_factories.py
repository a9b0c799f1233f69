"""Self-assessment and refusals register records for the access matrix (beside factories.py)."""

from __future__ import annotations

from compliance.models import Assessment
from compliance.models.base import utcnow
from compliance.refusals.clock import monday_of, uk_today
from tests.factories import ChecklistItemFactory, RefusalFactory


def matrix_ids(people) -> dict:
    """{assessment}: a draft at the manager's premises; {submitted}: a submitted one there;
    {item}: a current checklist item key; {refusal}: an entry the staff member recorded;
    {week}: this week's Monday. The submitted one is amber, not green, so the premises stays
    ineligible for a premises certificate (the certificate rows of the matrix expect that)."""
    from compliance.extensions import db

    staff, manager = people["staff"], people["manager"]
    item = ChecklistItemFactory()
    draft = Assessment(premises_id=staff.premises_id, status="draft", started_by_id=manager.id)
    submitted = Assessment(premises_id=staff.premises_id, status="submitted",
                           started_by_id=manager.id, submitted_by_id=manager.id,
                           submitted_at=utcnow(), points_met=2, points_applicable=3,
                           score_percent=66, rating="amber", next_due_at=utcnow(),
                           declaration_name=manager.name)
    db.session.add_all([draft, submitted])
    refusal = RefusalFactory(premises_id=staff.premises_id, recorded_by=staff)
    db.session.flush()
    return {"assessment": draft.id, "submitted": submitted.id, "item": item.key,
            "refusal": refusal.id, "week": monday_of(uk_today()).isoformat()}
