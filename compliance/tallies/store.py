"""Rebuilding the tallies from the visits (set-based), and reading them back.

The rebuild is for rows written around the ORM (the seeder's COPY), for the migration that
adds the tables, and for checking: the upkeep (upkeep.py) must always leave the tables equal
to what a rebuild would write.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection

from compliance.models import OperationPremises, OperationTally
from compliance.tallies.figures import PREMISES, WHOLE, figures, scoped

Tallies = dict[tuple[int, str, str], int]  # (operation id, area, key) -> count
PremisesCounts = dict[tuple[int, str, int], int]  # (operation id, area, premises) -> visits

_PREMISES_COLUMNS = ("operation_id", "area", "premises_id")


def _premises_visits():
    """Submitted visits per (operation, area, premises)."""
    scope = scoped()
    group = [scope.c[c] for c in _PREMISES_COLUMNS]
    return select(*group, func.count()).group_by(*group)


def fresh(connection: Connection) -> tuple[Tallies, PremisesCounts]:
    """What the tables should hold, worked out from the visits now (nothing written)."""
    counts: Tallies = {}
    for (operation_id, area), key, count in figures(connection, scoped(),
                                                    ("operation_id", "area")):
        counts[(operation_id, area, key)] = count
    visits: PremisesCounts = {(o, a, p): n for o, a, p, n in
                              connection.execute(_premises_visits())}
    for operation_id, area, _premises in visits:
        counts[(operation_id, area, PREMISES)] = counts.get((operation_id, area, PREMISES),
                                                            0) + 1
    return counts, visits


def stored(connection: Connection) -> tuple[Tallies, PremisesCounts]:
    """What the tables hold (zero rows, left behind by changes, are the same as none)."""
    t, p = OperationTally, OperationPremises
    counts = {(o, a, k): n for o, a, k, n in connection.execute(
        select(t.operation_id, t.area, t.key, t.count).where(t.count != 0))}
    visits = {(o, a, pr): n for o, a, pr, n in connection.execute(
        select(p.operation_id, p.area, p.premises_id, p.visits).where(p.visits != 0))}
    return counts, visits


def rebuild(connection: Connection) -> int:
    """Replace every tally with one worked out from the visits; the number of tallies.

    The premises set is copied by one INSERT .. SELECT; the figures are a few grouped
    queries whose rows number operations x areas x keys, not visits."""
    connection.execute(delete(OperationTally))
    connection.execute(delete(OperationPremises))
    connection.execute(insert(OperationPremises).from_select(
        [*_PREMISES_COLUMNS, "visits"], _premises_visits()))
    p = OperationPremises
    rows = [{"operation_id": o, "area": a, "key": k, "count": n}
            for (o, a), k, n in figures(connection, scoped(), ("operation_id", "area"))]
    rows += [{"operation_id": o, "area": a, "key": PREMISES, "count": n}
             for o, a, n in connection.execute(
                 select(p.operation_id, p.area, func.count()).group_by(p.operation_id, p.area))]
    if rows:
        connection.execute(insert(OperationTally), rows)
    return len(rows)


def read(connection: Connection, operation_id: int,
         areas: list[str]) -> dict[str, dict[str, int]]:
    """An operation's tallies for the whole operation and these areas: area -> key -> count,
    in one query on the primary key."""
    t = OperationTally
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for area, key, count in connection.execute(
            select(t.area, t.key, t.count).where(t.operation_id == operation_id,
                                                 t.area.in_([WHOLE, *areas]))):
        found[area][key] = count
    return found
