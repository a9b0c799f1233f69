"""Demo self-assessments and refusals register (compliance.demo_data.load_demo_assessments).

Demo Hardware High Street: a green assessment from 11 months ago, a red one from last week, and
four weeks of refusals with weekly sign-offs (this week and last week not signed off yet).
Demo Hardware Retail Park: a draft in progress. Idempotent: it looks before it adds.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from compliance.assessments import scoring
from compliance.assessments.checklist import current_items
from compliance.assessments.profile import profile_of
from compliance.extensions import db
from compliance.models import (
    Assessment,
    AssessmentAnswer,
    ChecklistItem,
    Premises,
    Refusal,
    RefusalSignOff,
    User,
)
from compliance.models.base import utcnow
from compliance.refusals.clock import from_uk, monday_of, uk_today, week_bounds

HIGH_STREET, RETAIL_PARK = "Demo Hardware High Street", "Demo Hardware Retail Park"
GREEN = {"own-test-purchasing": "partly", "voluntary-scheme-and-nbcc-training": "partly"}
RED = {"staff-know-age-and-items": "partly", "till-prompts": "no", "secure-display": "partly",
       "own-test-purchasing": "no", "cctv-coverage": "partly",
       "voluntary-scheme-and-nbcc-training": "no"}
# (days ago, hour, product, reason, description, refused by staff?)
REFUSALS = [
    (26, 11, "Kitchen knife set", "no_id", "Teenage boy, about 15, school uniform", True),
    (23, 16, "Craft knife", "id_not_acceptable", "Offered a student card only", True),
    (19, 13, "Axe", "proxy", "Adult buying after talking to two teenagers outside", False),
    (16, 10, "Razor blades", "no_id", "Young woman, about 17, left calmly", True),
    (12, 17, "Machete-style garden tool", "behaviour", "Customer agitated and aggressive", True),
    (9, 12, "Pocket multi-tool", "no_id", "Two boys, about 14", True),
    (4, 15, "Bread knife", "id_not_acceptable", "Photocopy of a passport", True),
]


def load() -> None:
    if db.session.scalar(select(ChecklistItem.id).limit(1)) is None:
        from compliance.training.content import load_content

        load_content()
    high_street = db.session.scalar(select(Premises).where(Premises.name == HIGH_STREET))
    retail_park = db.session.scalar(select(Premises).where(Premises.name == RETAIL_PARK))
    manager = db.session.scalar(select(User).where(User.email == "manager@example.com"))
    staff = db.session.scalar(select(User).where(User.email == "staff@example.com"))
    if None in (high_street, retail_park, manager, staff):
        return  # load_demo_data() first
    now = utcnow()
    if not high_street.stock_kinds:
        high_street.click_and_collect = True
        high_street.stock_kinds = ["kitchen-cutlery", "craft-diy", "garden-outdoor"]
    if not retail_park.stock_kinds:
        retail_park.sells_remotely = True
        retail_park.stock_kinds = ["kitchen-cutlery", "garden-outdoor", "razors-blades"]
    if not _has_assessment(high_street):
        add_submitted(high_street, manager, now - timedelta(days=335), GREEN,
                   {"training": ("yes", {"staff": 1, "trained": 1}),
                    "refusals": ("yes", {"entries": 3, "sign_offs": 4})})
        add_submitted(high_street, manager, now - timedelta(days=7), RED,
                   {"training": ("partly", {"staff": 2, "trained": 1}),
                    "refusals": ("yes", {"entries": 6, "sign_offs": 3})})
    if not _has_assessment(retail_park):
        _draft(retail_park, manager, now - timedelta(days=1))
    if db.session.scalar(select(Refusal.id).where(Refusal.premises_id == high_street.id)
                         .limit(1)) is None:
        _register(high_street, staff, manager, now)
    db.session.flush()


def _has_assessment(premises: Premises) -> bool:
    return db.session.scalar(select(Assessment.id).where(
        Assessment.premises_id == premises.id).limit(1)) is not None


def add_submitted(premises: Premises, manager: User, when: datetime, overrides: dict,
               autos: dict) -> None:
    profile = profile_of(premises)
    assessment = Assessment(premises_id=premises.id, status="submitted",
                            started_by_id=manager.id, started_at=when - timedelta(days=1),
                            updated_at=when, submitted_by_id=manager.id, submitted_at=when,
                            declaration_name=manager.name, profile=profile)
    db.session.add(assessment)
    db.session.flush()
    items, values = [], {}
    for item in current_items():
        na_allowed = not scoring.item_applies(item.applicability, profile)
        evidence = None
        if item.automatic:
            value, evidence = autos[item.automatic]
            evidence = {**evidence, "days": 30, "at": when.isoformat()}
        else:
            value = "na" if na_allowed else overrides.get(item.key, "yes")
        values[item.key] = value
        items.append(scoring.Item(item.key, item.number, item.weight, na_allowed))
        db.session.add(AssessmentAnswer(
            assessment_id=assessment.id, checklist_item_id=item.id, answer=value,
            automatic=bool(item.automatic), evidence=evidence,
            answered_by_id=None if item.automatic else manager.id, answered_at=when))
    result = scoring.score(items, values)
    assessment.points_met, assessment.points_applicable = (result.points_met,
                                                           result.points_applicable)
    assessment.score_percent, assessment.rating = result.percent, result.rating
    assessment.next_due_at = scoring.next_due(when, result.rating)


def _draft(premises: Premises, manager: User, when: datetime) -> None:
    assessment = Assessment(premises_id=premises.id, status="draft", started_by_id=manager.id,
                            started_at=when, updated_at=when, profile=profile_of(premises))
    db.session.add(assessment)
    db.session.flush()
    manual = [i for i in current_items() if not i.automatic]
    for item, value in zip(manual[:6], ["yes", "yes", "partly", "yes", "yes", "no"],
                           strict=True):
        db.session.add(AssessmentAnswer(assessment_id=assessment.id, checklist_item_id=item.id,
                                        answer=value, answered_by_id=manager.id,
                                        answered_at=when))


def _register(premises: Premises, staff: User, manager: User, now: datetime) -> None:
    today = uk_today(now)
    for days, hour, product, reason, description, by_staff in REFUSALS:
        when = from_uk(datetime.combine(today - timedelta(days=days), time(hour)))
        refuser = staff if by_staff else manager
        db.session.add(Refusal(premises_id=premises.id, occurred_at=when, product=product,
                               reason=reason, description=description, refused_by_id=refuser.id,
                               refused_by_name=refuser.name, recorded_by_id=refuser.id,
                               recorded_at=when + timedelta(minutes=2)))
    db.session.flush()
    # Weeks before last week are signed off; last week and this week wait for the manager.
    this_week = monday_of(today)
    for weeks_ago in (4, 3, 2):
        start = this_week - timedelta(weeks=weeks_ago)
        begin, end = week_bounds(start)
        entries = len(db.session.scalars(select(Refusal.id).where(
            Refusal.premises_id == premises.id, Refusal.occurred_at >= begin,
            Refusal.occurred_at < end)).all())
        db.session.add(RefusalSignOff(premises_id=premises.id, week_start=start,
                                      signed_by_id=manager.id, entries=entries,
                                      signed_at=end + timedelta(hours=9),
                                      note="Reviewed with the team." if entries else None))
