"""Operations: weeks of action such as "Operation Sceptre, November 2026", set up by admins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import Date, Integer, and_, bindparam, func, or_, select

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Operation, Visit
from compliance.numbers import parse_int
from compliance.paging import Page, capped_page
from compliance.visits.timezone import from_uk


class OperationNameTaken(Exception):
    pass


class OperationExcludesVisits(Exception):
    """New dates would leave visits already assigned to the operation outside it."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


def visits_outside(operation_id: int, starts_on: date, ends_on: date) -> int:
    """How many of an operation's visits fall outside these (UK) dates."""
    first = from_uk(starts_on, time(0, 0))
    after = from_uk(ends_on + timedelta(days=1), time(0, 0))
    return db.session.scalar(select(func.count(Visit.id)).where(
        Visit.operation_id == operation_id, Visit.visited_at.is_not(None),
        or_(Visit.visited_at < first, Visit.visited_at >= after))) or 0


@dataclass(frozen=True)
class OperationDetails:
    name: str
    starts_on: date
    ends_on: date
    areas: list[str]


def parse_areas(text: str | None) -> list[str]:
    """One area a line; blanks and repeats dropped, order kept."""
    seen: list[str] = []
    for line in (text or "").splitlines():
        area = " ".join(line.split())
        if area and area.lower() not in (a.lower() for a in seen):
            seen.append(area)
    return seen


def list_operations() -> list[Operation]:
    return list(db.session.scalars(select(Operation).order_by(Operation.starts_on.desc(),
                                                              Operation.id.desc())))


def operation_page(page: int, per_page: int, cap: int) -> Page:
    """A page of operations, latest first (one statement): years of local weeks of action,
    each with its areas, made a page of hundreds."""
    return capped_page(db.session, select(Operation).order_by(
        Operation.starts_on.desc(), Operation.id.desc()), Operation.id, page, per_page, cap)


def operations_for_visit_form(around: date, keep_id: int | None = None, *,
                               days: int = 120, most: int | None = None) -> list[Operation]:
    """The operations a visit on `around` could belong to: those running within `days` days
    of it, and the one the visit already has. Years of operations (and their areas) would
    otherwise make the visit form's select hundreds of options long.

    With `most`, only that many: those running on `around` first, then the nearest in time
    (and the visit's own). The country's local operations grow with it; an officer's select
    should not, as its options are most of the form's rendering time."""
    found = list(db.session.scalars(_near_statement(bool(keep_id)), {
        "ends_from": around - timedelta(days=days), "starts_to": around + timedelta(days=days),
        "keep_id": keep_id}))
    if most is None or len(found) <= most:
        return found

    def distance(op: Operation) -> int:
        return max((op.starts_on - around).days, (around - op.ends_on).days, 0)

    kept = {op.id for op in sorted(found, key=lambda op: (distance(op), -op.id))[:most]}
    return [op for op in found if op.id in kept or op.id == keep_id]


@lru_cache(maxsize=2)
def _near_statement(keeping: bool):
    """Operations running between two dates (and, `keeping`, the visit's own), latest
    first: built once a shape, its values bound at each call (the visit form's statements cost
    as much to build and key as to run)."""
    near = and_(Operation.ends_on >= bindparam("ends_from", type_=Date()),
                Operation.starts_on <= bindparam("starts_to", type_=Date()))
    wanted = or_(near, Operation.id == bindparam("keep_id", type_=Integer())) if keeping \
        else near
    return select(Operation).where(wanted).order_by(Operation.starts_on.desc(),
                                                    Operation.id.desc())


def operations_offered(around: date, keep_id: int | None = None) -> list[Operation]:
    """What a visit form offers, online or offline: operations_for_visit_form with the
    configured reach (VISIT_FORM_OPERATION_DAYS) and number (VISIT_FORM_OPERATIONS)."""
    return operations_for_visit_form(
        around, keep_id, days=int(current_app.config["VISIT_FORM_OPERATION_DAYS"]),
        most=int(current_app.config["VISIT_FORM_OPERATIONS"]))


def get_operation(operation_id: int) -> Operation | None:
    return db.session.get(Operation, operation_id)


def save_operation(operation: Operation | None, details: OperationDetails,
                   actor: Actor) -> Operation:
    """Create an operation, or change one (visits keep pointing at it)."""
    name = " ".join(details.name.split())
    clash = db.session.scalar(select(Operation.id).where(
        func.lower(Operation.name) == name.lower()))
    if clash is not None and (operation is None or clash != operation.id):
        raise OperationNameTaken
    creating = operation is None
    if operation is not None and (outside := visits_outside(operation.id, details.starts_on,
                                                            details.ends_on)):
        raise OperationExcludesVisits(outside)  # their reports would count visits outside it
    if operation is None:
        operation = Operation(created_by_id=actor.user_id)
        db.session.add(operation)
    operation.name, operation.starts_on, operation.ends_on = name, details.starts_on, \
        details.ends_on
    operation.areas = list(details.areas)
    db.session.flush()
    audit.record(actor, "operation_created" if creating else "operation_updated",
                 f"{'Created' if creating else 'Updated'} operation {name}", target=operation,
                 details={"starts_on": details.starts_on.isoformat(),
                          "ends_on": details.ends_on.isoformat(), "areas": operation.areas})
    return operation


def operation_area_choices(operations: list[Operation]) -> list[tuple[str, str]]:
    """Values for the visit form's one "operation and area" select: "id" or "id|area"."""
    pairs = []
    for op in operations:
        pairs.append((str(op.id), op.name))
        pairs.extend((f"{op.id}|{area}", f"{op.name}: {area}") for area in op.areas)
    return pairs


def split_operation_area(value: str | None) -> tuple[int | None, str | None]:
    """The select's value back into (operation id, area)."""
    if not value:
        return None, None
    op, _, area = value.partition("|")
    return parse_int(op, minimum=1), (area or None)


def default_operation(operations: list[Operation], today: date) -> Operation | None:
    """The operation running today, when exactly one is."""
    running = [op for op in operations if op.starts_on <= today <= op.ends_on]
    return running[0] if len(running) == 1 else None
