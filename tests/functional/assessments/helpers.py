"""Helpers for the self-assessment route tests: answer pages, read back what was stored."""

from markupsafe import escape
from sqlalchemy import select

from compliance.extensions import db
from compliance.models import Assessment, AssessmentAnswer, ChecklistItem


def esc(text: str) -> str:
    return str(escape(text))


def manual_items(scottish: bool = False) -> list[ChecklistItem]:
    """The items a premises answers itself (the Scottish licence item only in Scotland)."""
    items = db.session.scalars(select(ChecklistItem).where(ChecklistItem.is_current)
                               .order_by(ChecklistItem.group_position, ChecklistItem.number))
    return [i for i in items if not i.automatic
            and (scottish or i.applicability != "scotland")]


def draft_of(premises) -> Assessment:
    return db.session.scalar(select(Assessment).where(Assessment.premises_id == premises.id,
                                                      Assessment.status == "draft"))


def base(premises) -> str:
    return f"/premises/{premises.id}/assessments"


def answer(client, premises, assessment, item, value="yes", **extra):
    return client.post(f"{base(premises)}/{assessment.id}/items/{item.key}",
                       data={"answer": value, "lock_version": assessment_version(assessment),
                             **extra})


def assessment_version(assessment) -> int:
    return db.session.scalar(select(Assessment.lock_version).where(
        Assessment.id == assessment.id))


def answers_of(assessment) -> dict[str, str]:
    rows = db.session.execute(select(ChecklistItem.key, AssessmentAnswer.answer).join(
        AssessmentAnswer.item).where(AssessmentAnswer.assessment_id == assessment.id))
    return dict(rows.all())


def answer_everything(client, premises, assessment, overrides=None) -> None:
    for item in manual_items():
        value = (overrides or {}).get(item.key, "na" if item.applicability != "always"
                                      else "yes")
        answer(client, premises, assessment, item, value)
