"""The checklist an officer works through: the self-assessment's items, beside the shop's own
latest answers, with the differences marked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from compliance.extensions import db
from compliance.models import Assessment, AssessmentAnswer, ChecklistItem, Visit, VisitFinding


@dataclass(frozen=True)
class ChecklistGroup:
    position: int
    key: str
    title: str
    items: list[ChecklistItem]


@dataclass(frozen=True)
class FindingRow:
    item: ChecklistItem
    finding: VisitFinding | None
    shop_answer: AssessmentAnswer | None

    @property
    def differs(self) -> bool:
        """The officer found something other than what the shop said."""
        return (self.finding is not None and self.shop_answer is not None
                and self.finding.answer != self.shop_answer.answer)


@dataclass(frozen=True)
class ShopAnswers:
    assessment: Assessment | None
    by_key: dict[str, AssessmentAnswer]


def checklist_groups() -> list[ChecklistGroup]:
    """The current version of every item, in the self-assessment's groups (one query)."""
    items = db.session.scalars(select(ChecklistItem).where(ChecklistItem.is_current)
                               .order_by(ChecklistItem.group_position, ChecklistItem.number))
    groups: dict[int, ChecklistGroup] = {}
    for item in items:
        group = groups.setdefault(item.group_position, ChecklistGroup(
            item.group_position, item.group_key, item.group_title, []))
        group.items.append(item)
    return list(groups.values())


def group_at(groups: list[ChecklistGroup], position: int) -> ChecklistGroup | None:
    return next((g for g in groups if g.position == position), None)


def shop_answers(premises_id: int) -> ShopAnswers:
    """The shop's latest submitted self-assessment, its answers keyed by item key."""
    latest = db.session.scalar(
        select(Assessment).where(Assessment.premises_id == premises_id,
                                 Assessment.status == "submitted")
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc()).limit(1))
    if latest is None:
        return ShopAnswers(None, {})
    answers = db.session.scalars(
        select(AssessmentAnswer).options(joinedload(AssessmentAnswer.item))
        .where(AssessmentAnswer.assessment_id == latest.id))
    return ShopAnswers(latest, {a.item.key: a for a in answers})


def finding_rows(visit: Visit, group: ChecklistGroup, shop: ShopAnswers) -> list[FindingRow]:
    """One group's items with the officer's finding and the shop's answer (visit loaded)."""
    findings = {f.item.key: f for f in visit.findings}
    return [FindingRow(item, findings.get(item.key), shop.by_key.get(item.key))
            for item in group.items]


def all_finding_rows(visit: Visit, groups: list[ChecklistGroup],
                     shop: ShopAnswers) -> list[tuple[ChecklistGroup, list[FindingRow]]]:
    return [(group, finding_rows(visit, group, shop)) for group in groups]
