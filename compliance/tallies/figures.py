"""What submitted visits add to their operation's tallies, worked out in SQL.

One definition of the keys serves both the rebuild (grouped by operation and area, over every
visit) and the upkeep (grouped by visit, over the few visits a flush touched), so the two can
never disagree about what a figure means. The keys:

    visits, advice, purchases, sold, outcome:<outcome>, material:<material>,
    unmet:<checklist item key>   (findings answered "no" or "partly", across item versions)
    premises                     (distinct premises: kept from operation_tally_premises)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import String, Text, and_, case, cast, func, literal, select, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement, Subquery

from compliance.models import ChecklistItem, TestPurchase, Visit, VisitFinding
from compliance.visits.labels import MATERIALS, OUTCOMES, UNMET

WHOLE = ""  # the "area" of a whole operation's tallies

VISITS, PREMISES, ADVICE, PURCHASES, SOLD = "visits", "premises", "advice", "purchases", "sold"


def outcome_key(outcome: str) -> str:
    return f"outcome:{outcome}"


def material_key(material: str) -> str:
    return f"material:{material}"


def unmet_key(item_key: str) -> str:
    return f"unmet:{item_key}"


def scoped(where: ColumnElement[bool] | None = None) -> Subquery:
    """Each submitted visit of an operation twice: once in the whole operation (area ""),
    once in its own area if it has one. Grouping this by (operation, area) gives both."""
    columns = (Visit.operation_id, Visit.id.label("visit_id"), Visit.premises_id,
               Visit.outcome, cast(Visit.materials, Text).label("materials"),
               Visit.advice_given)
    counted = [Visit.status == "submitted", Visit.operation_id.is_not(None)]
    if where is not None:
        counted.append(where)
    whole = select(*columns, literal(WHOLE, String).label("area")).where(*counted)
    in_area = select(*columns, Visit.area.label("area")).where(
        *counted, Visit.area.is_not(None), Visit.area != WHOLE)
    return union_all(whole, in_area).subquery("scoped")


def _count_if(condition: ColumnElement[bool]):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def figures(connection: Connection, scope: Subquery,
            by: Sequence[str]) -> Iterator[tuple[tuple[Any, ...], str, int]]:
    """(group, key, count) for every non-zero figure of `scope` grouped by the columns `by`:
    three grouped queries whatever the number of visits."""
    group = [scope.c[name] for name in by]
    width = len(group)
    # materials is a JSON list of fixed keys; its text holds each key in double quotes on
    # SQLite and PostgreSQL alike, so one portable LIKE finds it.
    named = [(VISITS, func.count()),
             *[(outcome_key(k), _count_if(scope.c.outcome == k)) for k in OUTCOMES],
             *[(material_key(k), _count_if(scope.c.materials.like(f'%"{k}"%')))
               for k in MATERIALS],
             (ADVICE, _count_if(and_(scope.c.advice_given.is_not(None),
                                     scope.c.advice_given != "")))]
    rows = connection.execute(select(*group, *[e for _k, e in named]).group_by(*group))
    for row in rows:
        for (key, _e), value in zip(named, row[width:], strict=True):
            if value:
                yield tuple(row[:width]), key, int(value)
    purchases = connection.execute(
        select(*group, func.count(TestPurchase.id), _count_if(TestPurchase.sold.is_(True)))
        .select_from(scope).join(TestPurchase, TestPurchase.visit_id == scope.c.visit_id)
        .group_by(*group))
    for *keys, attempted, sold in purchases:
        yield tuple(keys), PURCHASES, int(attempted)
        if sold:
            yield tuple(keys), SOLD, int(sold)
    unmet = connection.execute(
        select(*group, ChecklistItem.key, func.count(VisitFinding.id)).select_from(scope)
        .join(VisitFinding, VisitFinding.visit_id == scope.c.visit_id)
        .join(ChecklistItem, ChecklistItem.id == VisitFinding.checklist_item_id)
        .where(VisitFinding.answer.in_(UNMET)).group_by(*group, ChecklistItem.key))
    for *keys, item_key, count in unmet:
        yield tuple(keys), unmet_key(item_key), int(count)
