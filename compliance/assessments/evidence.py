"""Checklist items answered from the portal's own records: staff training and the refusals
register. Four queries, whatever the number of staff or entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from compliance.assessments import scoring
from compliance.extensions import db
from compliance.models import Refusal, RefusalSignOff, Role, TrainingCompletion, User
from compliance.refusals.services import not_superseded

RECENT_DAYS = 30


@dataclass(frozen=True)
class AutoAnswer:
    kind: str  # training | refusals
    answer: str  # yes | partly | no
    evidence: dict[str, Any]

    @property
    def summary(self) -> str:
        e = self.evidence
        if self.kind == "training":
            if not e["staff"]:
                return "No active staff are registered at this premises."
            return (f"{e['trained']} of {e['staff']} active staff at this premises have a "
                    "current quiz pass.")
        return (f"{e['entries']} refusals recorded and {e['sign_offs']} weekly sign-offs by a "
                f"manager in the last {RECENT_DAYS} days.")


def training_evidence(premises_id: int, now: datetime) -> AutoAnswer:
    staff_ids = list(db.session.scalars(select(User.id).where(
        User.premises_id == premises_id, User.role == Role.STAFF, User.active)))
    trained = 0
    if staff_ids:
        trained = db.session.scalar(select(func.count(func.distinct(TrainingCompletion.user_id)))
                                    .where(TrainingCompletion.user_id.in_(staff_ids),
                                           TrainingCompletion.expires_at > now)) or 0
    evidence = {"staff": len(staff_ids), "trained": trained, "at": now.isoformat()}
    return AutoAnswer("training", scoring.training_answer(trained, len(staff_ids)), evidence)


def refusals_evidence(premises_id: int, now: datetime) -> AutoAnswer:
    since = now - timedelta(days=RECENT_DAYS)
    entries = db.session.scalar(select(func.count(Refusal.id)).where(
        Refusal.premises_id == premises_id, Refusal.occurred_at >= since,
        Refusal.occurred_at <= now, not_superseded())) or 0
    sign_offs = db.session.scalar(select(func.count(RefusalSignOff.id)).where(
        RefusalSignOff.premises_id == premises_id, RefusalSignOff.signed_at >= since)) or 0
    evidence = {"entries": entries, "sign_offs": sign_offs, "days": RECENT_DAYS,
                "at": now.isoformat()}
    return AutoAnswer("refusals", scoring.refusals_answer(entries, sign_offs), evidence)


def automatic_answers(premises_id: int, now: datetime) -> dict[str, AutoAnswer]:
    """Answers for the automatic items, keyed by ChecklistItem.automatic."""
    return {"training": training_evidence(premises_id, now),
            "refusals": refusals_evidence(premises_id, now)}


def summary_from(kind: str, answer: str, evidence: dict[str, Any] | None) -> str:
    """The summary of a stored automatic answer (kept on the submitted assessment)."""
    return AutoAnswer(kind, answer, evidence or {}).summary if evidence else ""
