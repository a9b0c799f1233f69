"""The operation report: what an operation (or one of its areas) found.

Every figure (counts by outcome and material, test-purchase failures, the checks most often
unmet, results by area) is read from the operation's tallies, which are kept as visits are
submitted and changed (compliance/tallies); the one list of rows, the advice given, comes a
page at a time through an index. So the page costs the same few queries and the same time
whatever the operation's size. The CSV is operations/export.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Integer, Select, String, bindparam, select

from compliance import audit, tallies
from compliance.audit import Actor
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.models import ChecklistItem, Operation, Premises, Visit
from compliance.paging import Page, offset
from compliance.visits.labels import MATERIALS, OUTCOMES

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
class AdviceRow:
    """A visit where advice was given: what the report's advice table shows."""

    id: int
    premises_name: str
    visited_at: datetime | None
    advice_given: str


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


def operation_report(operation: Operation, area: str | None = None,
                     advice_page: int = 1) -> OperationReport:
    """The report from the operation's tallies (compliance/tallies): one query for every
    figure, one for the unmet checks' wording, one for the page of advice, whatever the
    number of visits."""
    found = tallies.read(db.session.connection(), operation.id,
                         [area] if area else list(operation.areas))
    figures = found.get(area or tallies.WHOLE, {})
    return OperationReport(
        operation=operation, area=area, visit_count=figures.get(tallies.VISITS, 0),
        premises_visited=figures.get(tallies.PREMISES, 0),
        outcomes=[Count(str(text), figures.get(tallies.outcome_key(key), 0))
                  for key, text in OUTCOMES.items()],
        test_purchases=figures.get(tallies.PURCHASES, 0), failed=figures.get(tallies.SOLD, 0),
        unmet=_unmet_items(figures),
        materials=[Count(str(text), figures.get(tallies.material_key(key), 0))
                   for key, text in MATERIALS.items()],
        advice=_advice(operation, area, advice_page, figures.get(tallies.ADVICE, 0)),
        by_area=[] if area else [
            AreaFigures(a, found.get(a, {}).get(tallies.VISITS, 0),
                        found.get(a, {}).get(tallies.PURCHASES, 0),
                        found.get(a, {}).get(tallies.SOLD, 0)) for a in operation.areas])


def _advice(operation: Operation, area: str | None, page: int, total: int) -> Page:
    """A page of the visits where advice was given, in the order they happened (the total
    is the operation's tally; the rows come through ix_visits_operation_advice)."""
    if total <= offset(page, ADVICE_PER_PAGE):
        return Page([], page, ADVICE_PER_PAGE, total)
    statement = _advice_statements()[bool(area)]
    items = [AdviceRow(*row) for row in db.session.execute(statement, {
        "advice_operation": operation.id, "advice_area": area,
        "advice_offset": offset(page, ADVICE_PER_PAGE)})]
    return Page(items, page, ADVICE_PER_PAGE, total)


@lru_cache(maxsize=1)
def _advice_statements() -> dict[bool, Select]:
    """The advice page's statement for a whole operation and for one area (by `area` given),
    built once with the operation, the area and the page bound at each call: plain rows of
    the columns the table shows, not whole visits."""
    def statement(by_area: bool) -> Select:
        stmt = (select(Visit.id, Premises.name, Visit.visited_at, Visit.advice_given)
                .join(Premises, Visit.premises_id == Premises.id)
                .where(Visit.operation_id == bindparam("advice_operation", type_=Integer()),
                       Visit.status == "submitted", Visit.advice_given.is_not(None),
                       Visit.advice_given != ""))
        if by_area:
            stmt = stmt.where(Visit.area == bindparam("advice_area", type_=String()))
        return (stmt.order_by(Visit.visited_at, Visit.id).limit(ADVICE_PER_PAGE)
                .offset(bindparam("advice_offset", type_=Integer())))

    return {False: statement(False), True: statement(True)}


def _unmet_items(figures: dict[str, int]) -> list[UnmetItem]:
    """Checklist items most often found not met (or partly met), counted by item key across
    versions and shown with the item's latest number and wording."""
    prefix = tallies.unmet_key("")
    counts = {key[len(prefix):]: n for key, n in figures.items()
              if key.startswith(prefix) and n > 0}
    if not counts:
        return []
    latest: dict[str, tuple[int, str]] = {}
    for key, number, check in db.session.execute(
            select(ChecklistItem.key, ChecklistItem.number, ChecklistItem.officer_check)
            .where(ChecklistItem.key.in_(sorted(counts))).order_by(ChecklistItem.version)):
        latest[key] = (number, check)  # later versions overwrite earlier ones
    items = [UnmetItem(*latest[key], count) for key, count in counts.items() if key in latest]
    return sorted(items, key=lambda i: (-i.count, i.number))[:TOP_ITEMS]


def record_notes_export(operation: Operation, area: str | None, actor: Actor) -> None:
    """Officer-only notes leaving the portal are audited."""
    audit.record(actor, "visit_notes_exported", f"Exported officer notes for {operation.name}",
                 target=operation, details={"area": area})
    db.session.flush()
