"""Keeping the tallies right as visits are submitted and changed, in the same transaction.

Every path that changes a submitted visit (an edit with a reason, its checklist findings, its
test purchase, moving it to another operation or area, the offline sync, demo data, test
factories) ends in a flush of the ORM session. So the tallies are kept by the session itself:
before a flush that touches a visit, its test purchases or its findings, the visit's share of
the tallies is read from the database; after the flush it is read again; the difference is
added. A visit moving between operations or areas so moves its share; submitting a visit
adds its share once. Flushes that touch no counted visit (drafts, visits outside operations,
every other table) cost nothing. Rows written around the ORM (the seeder's COPY) need a
rebuild (compliance/tallies/store.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import chain
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from compliance.models import OperationPremises, OperationTally, TestPurchase, Visit, VisitFinding
from compliance.tallies.figures import PREMISES, figures, scoped

# (visit id, operation id, area, premises id): what one visit adds in one scope
Share = dict[tuple[int, int, str, int], Counter]
_BY_VISIT = ("visit_id", "operation_id", "area", "premises_id")
_PENDING = "tallies.before_flush"


def shares(connection: Connection, visit_ids: Iterable[int]) -> Share:
    """What these visits add to the tallies now, read from the database."""
    ids = sorted(set(visit_ids))
    found: Share = {}
    if not ids:
        return found
    for group, key, count in figures(connection, scoped(Visit.id.in_(ids)), _BY_VISIT):
        found.setdefault(group, Counter())[key] += count
    return found


def upsert(connection: Connection, table):
    """INSERT .. ON CONFLICT for this database (PostgreSQL's and SQLite's are alike)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def apply_change(connection: Connection, before: Share, after: Share) -> None:
    """Add (after - before) to the tallies. Rows are touched in a fixed order so that two
    transactions changing the same operation at once wait for each other, never deadlock."""
    counts: Counter = Counter()
    visits: Counter = Counter()
    for sign, share in ((-1, before), (1, after)):
        for (_visit, operation_id, area, premises_id), keys in share.items():
            visits[(operation_id, area, premises_id)] += sign
            for key, n in keys.items():
                counts[(operation_id, area, key)] += sign * n
    table = OperationPremises.__table__
    for (operation_id, area, premises_id), change in sorted(visits.items()):
        if not change:
            continue
        insert = upsert(connection, table)
        now = connection.execute(
            insert.values(operation_id=operation_id, area=area, premises_id=premises_id,
                          visits=change)
            .on_conflict_do_update(index_elements=[table.c.operation_id, table.c.area,
                                                   table.c.premises_id],
                                   set_={"visits": table.c.visits + insert.excluded.visits})
            .returning(table.c.visits)).scalar_one()
        if (now - change > 0) != (now > 0):  # the premises' first visit came, or its last left
            counts[(operation_id, area, PREMISES)] += 1 if now > 0 else -1
    rows = [{"operation_id": operation_id, "area": area, "key": key, "count": change}
            for (operation_id, area, key), change in sorted(counts.items()) if change]
    if rows:
        tallies = OperationTally.__table__
        insert = upsert(connection, tallies)
        connection.execute(insert.on_conflict_do_update(
            index_elements=[tallies.c.operation_id, tallies.c.area, tallies.c.key],
            set_={"count": tallies.c["count"] + insert.excluded["count"]}), rows)


# --- the session hooks -----------------------------------------------------------------------


def _may_count(state) -> bool:
    """False only when the visit certainly is not, and was not, a submitted visit of an
    operation (a draft, or a visit outside operations): then there is nothing to read."""
    for name, counts in (("status", lambda v: v == "submitted"),
                         ("operation_id", lambda v: v is not None)):
        if name not in state.dict and state.key is not None:
            continue  # not loaded: it might be either
        if not any(counts(v) for v in state.attrs[name].history.sum()):
            return False
    return True


def _visit_of(session: Session, visit_id: Any, fresh: set, ids: set) -> None:
    if visit_id is None:
        return
    visit = session.identity_map.get(identity_key(Visit, visit_id))
    if visit is None or _may_count(inspect(visit)):
        ids.add(visit_id)


def _touched(session: Session) -> tuple[set[int], set[Visit]]:
    """Ids of the visits whose share this flush may change, and new visits (no id yet)."""
    ids: set[int] = set()
    fresh: set[Visit] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Visit):
            state = inspect(obj)
            if _may_count(state):
                (ids.add(obj.id) if obj.id is not None else fresh.add(obj))
        elif isinstance(obj, TestPurchase | VisitFinding):
            state = inspect(obj)
            parent = state.dict.get("visit")
            if isinstance(parent, Visit) and parent.id is None:
                if _may_count(inspect(parent)):
                    fresh.add(parent)
                continue
            for visit_id in {*state.attrs.visit_id.history.sum(),
                             getattr(parent, "id", None)}:
                _visit_of(session, visit_id, fresh, ids)
    return ids, fresh


def _before_flush(session: Session, flush_context, _instances) -> None:
    session.info.pop(_PENDING, None)
    ids, fresh = _touched(session)
    if ids or fresh:
        before = shares(session.connection(), ids)
        session.info[_PENDING] = (flush_context, ids, fresh, before)


def _after_flush(session: Session, flush_context) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None or pending[0] is not flush_context:
        return
    _context, ids, fresh, before = pending
    connection = session.connection()
    after = shares(connection, ids | {v.id for v in fresh if v.id is not None})
    apply_change(connection, before, after)


def install(session_factory) -> None:
    """Keep the tallies from this session (factory): db.session, once per process."""
    if not event.contains(session_factory, "before_flush", _before_flush):
        event.listen(session_factory, "before_flush", _before_flush)
        event.listen(session_factory, "after_flush", _after_flush)
