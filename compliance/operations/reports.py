"""The operation report: what an operation (or one of its areas) found, and its CSV export.

Built in a fixed number of queries however many visits the operation had.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from compliance import audit
from compliance.audit import Actor
from compliance.csv_export import csv_text
from compliance.extensions import db
from compliance.models import ChecklistItem, Operation, Premises, Visit, VisitFinding
from compliance.visits.labels import MATERIALS, OUTCOMES, UNMET, VISIT_TYPES, label
from compliance.visits.timezone import uk_time

TOP_ITEMS = 10


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
class OperationReport:
    operation: Operation
    area: str | None
    visits: list[Visit]
    premises_visited: int
    outcomes: list[Count]
    test_purchases: int
    failed: int
    unmet: list[UnmetItem]
    materials: list[Count]
    advice: list[Visit]

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


def _visits(operation: Operation, area: str | None):
    stmt = select(Visit).where(Visit.operation_id == operation.id, Visit.status == "submitted")
    return stmt.where(Visit.area == area) if area else stmt


def report_visits(operation: Operation, area: str | None) -> list[Visit]:
    """The operation's submitted visits with what the report and the CSV show (4 queries)."""
    return list(db.session.scalars(
        _visits(operation, area).options(
            joinedload(Visit.premises).joinedload(Premises.retailer),
            joinedload(Visit.officer), joinedload(Visit.agency),
            selectinload(Visit.test_purchases), selectinload(Visit.follow_ups))
        .order_by(Visit.visited_at, Visit.id)))


def operation_report(operation: Operation, area: str | None = None) -> OperationReport:
    visits = report_visits(operation, area)
    outcomes = Counter(v.outcome for v in visits)
    materials = Counter(m for v in visits for m in v.materials)
    purchases = [p for v in visits for p in v.test_purchases]
    return OperationReport(
        operation=operation, area=area, visits=visits,
        premises_visited=len({v.premises_id for v in visits}),
        outcomes=[Count(str(text), outcomes.get(key, 0)) for key, text in OUTCOMES.items()],
        test_purchases=len(purchases), failed=sum(p.sold for p in purchases),
        unmet=_unmet_items(operation, area),
        materials=[Count(str(text), materials.get(key, 0)) for key, text in MATERIALS.items()],
        advice=[v for v in visits if v.advice_given])


def _unmet_items(operation: Operation, area: str | None) -> list[UnmetItem]:
    """Checklist items most often found not met (or partly met), by item across versions."""
    scope = _visits(operation, area).with_only_columns(Visit.id)
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


CSV_COLUMNS = ["Visit", "Visited at (UK time)", "Premises", "Postcode", "Business", "Officer",
               "Agency", "Type", "Area", "Outcome", "Materials given", "Advice given",
               "Test purchase", "ID asked for", "Follow-ups"]


def report_csv(visits: list[Visit], include_notes: bool = False) -> str:
    """The visits as CSV; officer-only notes only when asked for (admins)."""
    header = CSV_COLUMNS + (["Officer notes"] if include_notes else [])
    return csv_text(header, (_report_row(v, include_notes) for v in visits))


def _report_row(v: Visit, include_notes: bool) -> list:
    purchase = v.test_purchases[0] if v.test_purchases else None
    when = uk_time(v.visited_at)
    row = [v.id, when.strftime("%Y-%m-%d %H:%M") if when else "", v.premises.name,
           v.premises.postcode, v.premises.retailer.name, v.officer.name,
           v.agency.name if v.agency else "", label(VISIT_TYPES, v.visit_type),
           v.area or "", label(OUTCOMES, v.outcome),
           "; ".join(label(MATERIALS, m) for m in v.materials), v.advice_given or "",
           ("sold" if purchase.sold else "refused") if purchase else "",
           ("yes" if purchase.id_asked else "no") if purchase else "", len(v.follow_ups)]
    if include_notes:
        row.append(v.officer_notes or "")
    return row


def record_notes_export(operation: Operation, area: str | None, actor: Actor) -> None:
    """Officer-only notes leaving the portal are audited."""
    audit.record(actor, "visit_notes_exported", f"Exported officer notes for {operation.name}",
                 target=operation, details={"area": area})
    db.session.flush()
