"""Self-assessment rules: the items a premises answers, a draft saved page by page, the
submission (then kept unchanged) and the premises' history.

A draft is answered against the current checklist; an answer keeps the item version the
manager saw. Saving bumps Assessment.lock_version (SQLAlchemy's version counter), so a page
saved from a stale copy of the draft is refused instead of silently overwriting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from compliance import audit
from compliance.assessments import evidence, scoring
from compliance.assessments.checklist import current_items
from compliance.assessments.profile import profile_of
from compliance.audit import Actor
from compliance.certificates.status import record_changes
from compliance.extensions import db
from compliance.models import Assessment, AssessmentAnswer, ChecklistItem, Premises
from compliance.models.base import utcnow

ANSWER_LABELS = {"yes": "Yes", "partly": "Partly", "no": "No", "na": "Not applicable"}


class NotFound(Exception):
    """No such assessment at this premises."""


class AssessmentClosed(Exception):
    """The assessment has been submitted: it is kept unchanged."""


class DraftChanged(Exception):
    """Someone else saved the draft after this page was loaded."""


class NotApplicableRefused(Exception):
    """The premises profile says this item applies, so it cannot be Not applicable."""


class Unanswered(Exception):
    def __init__(self, keys: list[str]) -> None:
        super().__init__(", ".join(keys))
        self.keys = keys


@dataclass
class Row:
    """One checklist item within an assessment, with its answer if there is one."""

    item: ChecklistItem
    answer: AssessmentAnswer | None
    na_allowed: bool
    auto: evidence.AutoAnswer | None = None
    position: int = 0  # 1, 2, 3... over the items this premises is asked, in page order

    @property
    def value(self) -> str | None:
        if self.auto is not None:
            return self.auto.answer
        return self.answer.answer if self.answer is not None else None

    @property
    def automatic(self) -> bool:
        return bool(self.item.automatic)

    @property
    def summary(self) -> str:
        """For automatic items: what the records showed."""
        if self.auto is not None:
            return self.auto.summary
        if self.answer is not None and self.answer.automatic:
            return evidence.summary_from(self.item.automatic or "", self.answer.answer,
                                         self.answer.evidence)
        return ""


@dataclass
class Sheet:
    """An assessment with one row per checklist item, in checklist order."""

    assessment: Assessment
    rows: list[Row]

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.item.key == key), None)

    @property
    def manual(self) -> list[Row]:
        return [r for r in self.rows if not r.automatic]

    @property
    def answered(self) -> int:
        return sum(r.value is not None for r in self.manual)

    @property
    def first_unanswered(self) -> Row | None:
        return next((r for r in self.manual if r.value is None), None)

    def next_after(self, key: str) -> Row | None:
        keys = [r.item.key for r in self.manual]
        position = keys.index(key) if key in keys else len(keys)
        return self.manual[position + 1] if position + 1 < len(keys) else None

    def previous_before(self, key: str) -> Row | None:
        keys = [r.item.key for r in self.manual]
        position = keys.index(key) if key in keys else 0
        return self.manual[position - 1] if position > 0 else None

    @property
    def groups(self) -> list[tuple[str, list[Row]]]:
        out: list[tuple[str, list[Row]]] = []
        for row in self.rows:
            if not out or out[-1][0] != row.item.group_title:
                out.append((row.item.group_title, []))
            out[-1][1].append(row)
        return out

    @property
    def problems(self) -> list[Row]:
        """Rows that stop a submission: unanswered, or Not applicable where it applies."""
        return [r for r in self.manual
                if r.value is None or (r.value == "na" and not r.na_allowed)]

    def scoring_inputs(self) -> tuple[list[scoring.Item], dict[str, str]]:
        items = [scoring.Item(key=r.item.key, number=r.item.number, weight=r.item.weight,
                              na_allowed=r.na_allowed, question=r.item.question,
                              how_to_fix=r.item.how_to_fix,
                              source_tags=tuple(r.item.source_tags)) for r in self.rows]
        answers = {r.item.key: r.value for r in self.rows if r.value is not None}
        return items, answers


def load(assessment_id: int, premises_id: int) -> Assessment:
    assessment = db.session.scalar(select(Assessment).where(Assessment.id == assessment_id)
                                   .options(selectinload(Assessment.answers)
                                            .selectinload(AssessmentAnswer.item)))
    if assessment is None or assessment.premises_id != premises_id:
        raise NotFound
    return assessment


def sheet(assessment: Assessment, premises: Premises, now: datetime | None = None) -> Sheet:
    """The rows of an assessment: a draft's from the current checklist and live records, a
    submitted one's exactly as they were answered."""
    by_key = {a.item.key: a for a in assessment.answers}
    if assessment.status == "submitted":
        profile = assessment.profile
        items = sorted((a.item for a in assessment.answers),
                       key=lambda i: (i.group_position, i.number))
        autos: dict[str, evidence.AutoAnswer] = {}
    else:
        profile = profile_of(premises)
        items = [by_key[i.key].item if i.key in by_key else i for i in current_items()]
        autos = evidence.automatic_answers(premises.id, now or utcnow())
    rows = [Row(item, by_key.get(item.key),
                na_allowed=not scoring.item_applies(item.applicability, profile),
                auto=autos.get(item.automatic) if item.automatic else None) for item in items
            if scoring.item_asked(item.applicability, profile)
            or (item.key in by_key and by_key[item.key].answer != "na")]  # kept as answered
    for position, row in enumerate(rows, start=1):
        row.position = position
    return Sheet(assessment, rows)


def draft_for(premises_id: int) -> Assessment | None:
    return db.session.scalar(_draft_statement(), {"draft_premises": premises_id})


@cache
def _draft_statement():
    """Built once, the premises bound at each call."""
    return (select(Assessment)
            .where(Assessment.premises_id == bindparam("draft_premises", type_=Integer()),
                   Assessment.status == "draft")
            .order_by(Assessment.id).limit(1))


def start_or_resume(premises: Premises, actor: Actor) -> Assessment:
    """The premises' draft: one at a time, shared by its business's managers."""
    existing = draft_for(premises.id)
    if existing is not None:
        return existing
    assessment = Assessment(premises_id=premises.id, status="draft",
                            started_by_id=actor.user_id, profile=profile_of(premises))
    try:
        with db.session.begin_nested():  # a savepoint: losing the race undoes only this insert
            db.session.add(assessment)
    except IntegrityError:  # another manager started one a moment ago: use theirs
        return draft_for(premises.id)
    return assessment


def _ensure_open(assessment: Assessment, expected_version: int | None) -> None:
    if assessment.status != "draft":
        raise AssessmentClosed
    if expected_version is not None and expected_version != assessment.lock_version:
        raise DraftChanged


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as exc:  # saved by someone else between our read and our write
        raise DraftChanged from exc


def save_answer(assessment: Assessment, premises: Premises, row: Row, value: str,
                note: str | None, *, expected_version: int | None, actor: Actor) -> None:
    """Save one page of the draft (answer and note) against the item's current version."""
    _ensure_open(assessment, expected_version)
    if row.automatic or value not in scoring.ANSWERS:
        raise ValueError(f"cannot answer {row.item.key} with {value!r}")
    profile = profile_of(premises)
    if value == "na" and scoring.item_applies(row.item.applicability, profile):
        raise NotApplicableRefused
    current = db.session.scalar(select(ChecklistItem).where(
        ChecklistItem.key == row.item.key, ChecklistItem.is_current))
    answer = row.answer
    if answer is None:
        answer = row.answer = AssessmentAnswer(assessment=assessment)
        db.session.add(answer)
    answer.item = current or row.item
    answer.answer, answer.note = value, (note or "").strip() or None
    answer.answered_by_id, answer.answered_at = actor.user_id, utcnow()
    assessment.updated_at, assessment.profile = utcnow(), profile
    _flush()


def submit(assessment: Assessment, premises: Premises, declaration_name: str, *,
           expected_version: int | None, actor: Actor,
           now: datetime | None = None) -> scoring.Result:
    """Score the draft, store the automatic answers with their evidence, and close it."""
    _ensure_open(assessment, expected_version)
    now = now or utcnow()
    current = sheet(assessment, premises, now)
    if current.problems:
        raise Unanswered([r.item.key for r in current.problems])
    result = scoring.score(*current.scoring_inputs())
    for row in current.rows:
        if row.auto is not None:
            db.session.add(AssessmentAnswer(
                assessment=assessment, item=row.item,
                answer=row.auto.answer, automatic=True, evidence=row.auto.evidence,
                answered_at=now))
    assessment.status, assessment.submitted_at = "submitted", now
    assessment.submitted_by_id, assessment.updated_at = actor.user_id, now
    assessment.declaration_name = declaration_name.strip()
    assessment.profile = profile_of(premises)
    assessment.points_met, assessment.points_applicable = (result.points_met,
                                                           result.points_applicable)
    assessment.score_percent, assessment.rating = result.percent, result.rating
    assessment.next_due_at = scoring.next_due(now, result.rating)
    audit.record(actor, "assessment_submitted",
                 f"Submitted the self-assessment for {premises.name}: {result.rating}, "
                 f"{result.percent}%", target=assessment,
                 details={"premises_id": premises.id, "unmet": [u.item.key for u in result.unmet]})
    _flush()
    record_changes([premises.id], actor)  # a red result suspends a verified certificate
    return result
