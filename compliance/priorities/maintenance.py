"""Keeping the priority table in step, in the same transaction as every change.

One place notices which premises' facts changed, rather than a call in each service: a
session hook sees every new, changed and deleted row of the models the facts come from
(visits, test purchases, assessments, training, staff, refusals, follow-ups, verification
requests, premises and businesses), so a service added later cannot forget to call it. After
each flush it recomputes those premises' rows with one set-based statement
(priorities/table.py). Bulk UPDATE/DELETE statements on those models bypass the unit of work
(constraints.claim does one on follow-ups), so they are caught too: the premises they touch
are read before they run and refreshed after. Only COPY and raw SQL get past this; the seeder
rebuilds the table after its COPY.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from compliance.models import (
    Assessment,
    FollowUp,
    Premises,
    Refusal,
    Retailer,
    TestPurchase,
    TrainingCompletion,
    User,
    VerificationRequest,
    Visit,
)
from compliance.priorities import table


@dataclass(frozen=True)
class Watch:
    """How a model's rows lead to premises: `kind` names what `key` holds."""

    kind: str  # "premises", "users" (their premises) or "retailers" (their premises)
    key: str  # the column holding it
    relation: str | None  # the relationship that may set it instead
    changes: tuple[str, ...] | None  # columns the facts read (None: any change counts)


WATCHED = {
    Visit: Watch("premises", "premises_id", "premises",
                 ("premises_id", "premises", "status", "visited_at", "agency_id", "agency")),
    TestPurchase: Watch("premises", "premises_id", None,
                        ("premises_id", "sold", "resolved_at", "visit_id")),
    Assessment: Watch("premises", "premises_id", "premises",
                      ("premises_id", "premises", "status", "submitted_at", "rating",
                       "next_due_at")),
    Refusal: Watch("premises", "premises_id", "premises",
                   ("premises_id", "premises", "occurred_at")),
    FollowUp: Watch("premises", "premises_id", "premises",
                    ("premises_id", "premises", "status", "due_on")),
    VerificationRequest: Watch("premises", "premises_id", None,
                               ("premises_id", "resolved_at", "reason")),
    User: Watch("premises", "premises_id", "premises",
                ("premises_id", "premises", "role", "active")),
    Premises: Watch("premises", "id", None, None),
    TrainingCompletion: Watch("users", "user_id", None, ("user_id", "expires_at")),
    Retailer: Watch("retailers", "id", None, ("claimed",)),
}


@dataclass
class Pending:
    premises: set[int] = field(default_factory=set)
    users: set[int] = field(default_factory=set)
    retailers: set[int] = field(default_factory=set)

    def add(self, kind: str, values) -> None:
        getattr(self, kind).update(v for v in values if v is not None)

    def __bool__(self) -> bool:
        return bool(self.premises or self.users or self.retailers)


def _keys(obj, watch: Watch, changed_only: bool) -> list[int] | None:
    """The ids the object leads to, before and after; None if nothing the facts read changed."""
    state = inspect(obj)
    if changed_only and watch.changes is not None and not any(
            state.attrs[name].history.has_changes() for name in watch.changes):
        return None
    if changed_only and watch.changes is None and not state.session.is_modified(obj):
        return None
    keys = [getattr(obj, watch.key)]
    keys += state.attrs[watch.key].history.deleted or []
    if watch.relation is not None:
        old = state.attrs[watch.relation].history.deleted or []
        keys += [inspect(o).identity[0] for o in old if o is not None and inspect(o).identity]
    return keys


def _collect(session: Session, _flush_context) -> None:
    pending = session.info.setdefault("priorities", Pending())
    for group, changed_only in ((session.new, False), (session.dirty, True),
                                (session.deleted, False)):
        for obj in group:
            watch = WATCHED.get(type(obj))
            if watch is None:
                continue
            keys = _keys(obj, watch, changed_only)
            if keys is not None:
                pending.add(watch.kind, keys)


def _after_flush(session: Session, _flush_context) -> None:
    _apply(session, session.info.pop("priorities", None))


def _apply(session: Session, pending: Pending | None) -> None:
    if not pending:
        return
    connection = session.connection()
    ids = pending.premises | table.premises_of(connection, pending.users, pending.retailers)
    table.refresh(connection, ids)


def _bulk(execute_state):
    """An ORM bulk UPDATE or DELETE of a watched model: refresh the premises it touches."""
    if not (execute_state.is_update or execute_state.is_delete):
        return None
    mapper = execute_state.bind_mapper
    watch = WATCHED.get(mapper.class_) if mapper is not None else None
    if watch is None:
        return None
    where = execute_state.statement.whereclause
    query = select(getattr(mapper.class_, watch.key))
    session = execute_state.session
    pending = Pending()
    pending.add(watch.kind, session.scalars(query if where is None else query.where(where)))
    result = execute_state.invoke_statement()
    _apply(session, pending)
    return result


def install() -> None:
    """Listen on every session (idempotent: create_app may run many times in tests)."""
    for name, handler in (("after_flush", _collect), ("after_flush_postexec", _after_flush),
                          ("do_orm_execute", _bulk)):
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)
