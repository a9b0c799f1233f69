"""The operation report: what an operation (or one of its areas) found.

Every figure is an aggregate worked out by the database (counts by outcome and material,
test-purchase failures, the checks most often unmet, results by area); the one list of rows,
the advice given, comes a page at a time. So the page costs the same few queries and the
same size whatever the operation's size. The CSV is operations/export.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Text, case, cast, func, select
from sqlalchemy.orm import joinedload

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import ChecklistItem, Operation, TestPurchase, Visit, VisitFinding
from compliance.paging import Page, without_jit
from compliance.visits.labels import MATERIALS, OUTCOMES, UNMET

TOP_ITEMS = 10
ADVICE_PER_PAGE = 20


@dataclass(frozen=True)
class Count:
    label: str
    value: int


@dataclass(frozen=True)
class UnmetItem:
    number: int
    check: str
    count: int


@dataclass(frozen=True)
class AreaFigures:
    area: str
    visits: int
    test_purchases: int
    failed: int

    @property
    def failure_rate(self) -> int | None:
        return round(100 * self.failed / self.test_purchases) if self.test_purchases else None


@dataclass(frozen=True)
class OperationReport:
    operation: Operation
    area: str | None
    visit_count: int
    premises_visited: int
    outcomes: list[Count]
    test_purchases: int
    failed: int
    unmet: list[UnmetItem]
    materials: list[Count]
    advice: Page
    by_area: list[AreaFigures]

    @property
    def failure_rate(self) -> int | None:
        """Failed test purchases as a whole percentage of those attempted."""
        if not self.test_purchases:
            return None
        return round(100 * self.failed / self.test_purchases)

    @property
    def purchase_counts(self) -> list[Count]:
        return [Count(_("Refused (passed)"), self.test_purchases - self.failed),
                Count(_("Sold (failed)"), self.failed)]


def report_scope(operation_id: int, area: str | None):
    """The operation's submitted visits (in its area, if one is chosen)."""
    stmt = select(Visit).where(Visit.operation_id == operation_id, Visit.status == "submitted")
    return stmt.where(Visit.area == area) if area else stmt


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _has_material(key: str):
    # materials is a JSON list of fixed keys; its text holds each key in double quotes on
    # SQLite and PostgreSQL alike, so one portable LIKE counts it.
    return cast(Visit.materials, Text).like(f'%"{key}"%')


def operation_report(operation: Operation, area: str | None = None,
                     advice_page: int = 1) -> OperationReport:
    """The report in six queries, whatever the number of visits."""
    without_jit(db.session)
    ids = report_scope(operation.id, area).with_only_columns(Visit.id)
    totals = db.session.execute(report_scope(operation.id, area).with_only_columns(
        func.count(Visit.id), func.count(func.distinct(Visit.premises_id)),
        *[_count_if(Visit.outcome == key) for key in OUTCOMES],
        *[_count_if(_has_material(key)) for key in MATERIALS])).one()
    purchases, failed = db.session.execute(select(
        func.count(TestPurchase.id), _count_if(TestPurchase.sold.is_(True)))
        .where(TestPurchase.visit_id.in_(ids))).one()
    outcomes = totals[2:2 + len(OUTCOMES)]
    materials = totals[2 + len(OUTCOMES):]
    return OperationReport(
        operation=operation, area=area, visit_count=totals[0], premises_visited=totals[1],
        outcomes=[Count(str(text), n) for text, n in zip(OUTCOMES.values(), outcomes,
                                                          strict=True)],
        test_purchases=purchases, failed=failed, unmet=_unmet_items(operation, area),
        materials=[Count(str(text), n) for text, n in zip(MATERIALS.values(), materials,
                                                           strict=True)],
        advice=_advice(operation, area, advice_page),
        by_area=[] if area or not operation.areas else _by_area(operation))


def _advice(operation: Operation, area: str | None, page: int) -> Page:
    """A page of the visits where advice was given, in the order they happened."""
    pagination = db.paginate(
        report_scope(operation.id, area).where(Visit.advice_given.is_not(None),
                                            Visit.advice_given != "")
        .options(joinedload(Visit.premises)).order_by(Visit.visited_at, Visit.id),
        page=page, per_page=ADVICE_PER_PAGE, error_out=False)
    return Page(pagination.items, page, ADVICE_PER_PAGE, pagination.total or 0)


def _by_area(operation: Operation) -> list[AreaFigures]:
    """Visits, test purchases and failures per area of the operation (one grouped query)."""
    rows = db.session.execute(
        report_scope(operation.id, None).with_only_columns(
            Visit.area, func.count(func.distinct(Visit.id)), func.count(TestPurchase.id),
            _count_if(TestPurchase.sold.is_(True)))
        .outerjoin(TestPurchase, TestPurchase.visit_id == Visit.id).group_by(Visit.area))
    found = {area: (n, tp, sold) for area, n, tp, sold in rows}
    return [AreaFigures(a, *found.get(a, (0, 0, 0))) for a in operation.areas]


def _unmet_items(operation: Operation, area: str | None) -> list[UnmetItem]:
    """Checklist items most often found not met (or partly met), by item across versions."""
    scope = report_scope(operation.id, area).with_only_columns(Visit.id)
    rows = db.session.execute(
        select(ChecklistItem.key, ChecklistItem.number, ChecklistItem.officer_check,
               ChecklistItem.version, func.count(VisitFinding.id))
        .join(VisitFinding, VisitFinding.checklist_item_id == ChecklistItem.id)
        .where(VisitFinding.visit_id.in_(scope), VisitFinding.answer.in_(UNMET))
        .group_by(ChecklistItem.id, ChecklistItem.key, ChecklistItem.number,
                  ChecklistItem.officer_check, ChecklistItem.version))
    merged: dict[str, list] = {}
    for key, number, check, version, count in rows:
        entry = merged.setdefault(key, [number, check, version, 0])
        if version > entry[2]:
            entry[:3] = [number, check, version]
        entry[3] += count
    items = [UnmetItem(n, check, count) for n, check, _v, count in merged.values()]
    return sorted(items, key=lambda i: (-i.count, i.number))[:TOP_ITEMS]


def record_notes_export(operation: Operation, area: str | None, actor: Actor) -> None:
    """Officer-only notes leaving the portal are audited."""
    audit.record(actor, "visit_notes_exported", f"Exported officer notes for {operation.name}",
                 target=operation, details={"area": area})
    db.session.flush()
