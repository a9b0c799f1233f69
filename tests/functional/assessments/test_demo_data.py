"""The demo's self-assessments and refusals register (compliance.demo_data)."""

from datetime import timedelta

from sqlalchemy import func, select

from compliance.demo_data import load_demo_assessments, load_demo_data, load_demo_training
from compliance.extensions import db
from compliance.models import Assessment, Premises, Refusal, RefusalSignOff
from compliance.models.base import utcnow
from compliance.refusals.clock import monday_of, uk_today


def _premises(name: str) -> Premises:
    return db.session.scalar(select(Premises).where(Premises.name == name))


def _counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Assessment, Refusal, RefusalSignOff))


def test_demo_assessments_and_register_load_once(app):
    load_demo_data()
    load_demo_training()
    load_demo_assessments()
    high_street = _premises("Demo Hardware High Street")
    retail_park = _premises("Demo Hardware Retail Park")
    now = utcnow()
    green, red = db.session.scalars(select(Assessment).where(
        Assessment.premises_id == high_street.id).order_by(Assessment.submitted_at)).all()
    assert green.rating == "green" and timedelta(days=320) < now - green.submitted_at < \
        timedelta(days=350)
    assert red.rating == "red" and timedelta(days=5) < now - red.submitted_at < \
        timedelta(days=10)
    assert green.next_due_at > now and red.next_due_at > now
    draft = db.session.scalar(select(Assessment).where(Assessment.premises_id ==
                                                       retail_park.id))
    assert draft.status == "draft"
    entries = db.session.scalars(select(Refusal).where(
        Refusal.premises_id == high_street.id)).all()
    assert len(entries) >= 5 and now - min(e.occurred_at for e in entries) > timedelta(days=21)
    weeks = {s.week_start for s in db.session.scalars(select(RefusalSignOff))}
    assert len(weeks) == 3 and monday_of(uk_today()) not in weeks

    before = _counts()
    load_demo_assessments()
    assert _counts() == before
