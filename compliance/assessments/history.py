"""A premises' self-assessment history: submitted assessments, the open draft, when the next
one is due. A fixed number of queries however long the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import Integer, bindparam, func, select

from compliance.assessments.services import draft_for
from compliance.extensions import db
from compliance.models import Assessment, AssessmentAnswer, User
from compliance.models.base import utcnow

TREND_LENGTH = 12


class HistoryRow(NamedTuple):
    assessment: Assessment
    submitted_by: str | None


@dataclass(frozen=True)
class Overview:
    history: list[HistoryRow]  # newest first
    draft: Assessment | None
    draft_answers: int
    draft_started_by: str | None
    now: datetime

    @property
    def latest(self) -> Assessment | None:
        return self.history[0].assessment if self.history else None

    @property
    def next_due(self) -> datetime | None:
        return self.latest.next_due_at if self.latest else None

    @property
    def due_now(self) -> bool:
        return self.next_due is None or self.next_due <= self.now

    @property
    def trend(self) -> list[tuple[datetime, int, str]]:
        """The last 12 scores, oldest first, for the trend chart."""
        return [(r.assessment.submitted_at, r.assessment.score_percent or 0,
                 r.assessment.rating or "red") for r in reversed(self.history[:TREND_LENGTH])]


def history(premises_id: int) -> list[HistoryRow]:
    """Submitted assessments, newest first, with who submitted them (one query)."""
    rows = db.session.execute(_history_statement(), {"history_premises": premises_id})
    return [HistoryRow(a, name) for a, name in rows]


@cache
def _history_statement():
    """Built once, the premises bound at each call."""
    return (select(Assessment, User.name)
            .outerjoin(User, User.id == Assessment.submitted_by_id)
            .where(Assessment.premises_id == bindparam("history_premises", type_=Integer()),
                   Assessment.status == "submitted")
            .order_by(Assessment.submitted_at.desc(), Assessment.id.desc()))


def overview(premises_id: int, now: datetime | None = None) -> Overview:
    draft = draft_for(premises_id)
    answered, started_by = 0, None
    if draft is not None:
        answered = db.session.scalar(select(func.count(AssessmentAnswer.id)).where(
            AssessmentAnswer.assessment_id == draft.id)) or 0
        started_by = db.session.scalar(select(User.name).where(User.id == draft.started_by_id))
    return Overview(history(premises_id), draft, answered, started_by, now or utcnow())


def latest_submitted(premises_id: int) -> Assessment | None:
    return db.session.scalar(select(Assessment).where(
        Assessment.premises_id == premises_id, Assessment.status == "submitted")
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc()).limit(1))
