"""Keeping the priority table in step, in the same transaction as every change.

One place notices which premises' facts changed, rather than a call in each service: a
session hook sees every new, changed and deleted row of the models the facts come from
(visits, test purchases, assessments, training, staff, refusals, follow-ups, verification
requests, premises and businesses), so a service added later cannot forget to call it. Each
flush adds the premises it changed to the transaction's list; as the transaction commits,
their rows are recomputed with one set-based statement a chunk (priorities/table.py), once
however many flushes named them. Bulk UPDATE/DELETE statements on those models bypass the
unit of work (constraints.claim does one on follow-ups), so they are caught too: the premises
they touch are read before they run and added to the list. Only COPY and raw SQL get past
this; the seeder rebuilds the table after its COPY.

Why at commit and not after each flush: a refresh locks its premises' rows until the commit,
in premises order. Refreshed after each flush, a change whose first flush touched one premises
and a later flush another took its locks in flush order, so two such changes in opposite
orders could each wait for the other until PostgreSQL cancelled one (a deadlock); and a
change of several flushes (a visit's submission) refreshed the same premises once a flush.
Refreshed at commit, every change takes all its locks in one pass, in premises order: two
changes can only queue. Until then the table shows the transaction's start; a reader in the
same transaction brings it up to date first (`settle`: the priority list does).
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


def _pending(session: Session) -> Pending:
    return session.info.setdefault("priorities", Pending())


def _collect(session: Session, _flush_context) -> None:
    pending = _pending(session)
    for group, changed_only in ((session.new, False), (session.dirty, True),
                                (session.deleted, False)):
        for obj in group:
            watch = WATCHED.get(type(obj))
            if watch is None:
                continue
            keys = _keys(obj, watch, changed_only)
            if keys is not None:
                pending.add(watch.kind, keys)


def settle(session: Session) -> None:
    """Recompute the rows of every premises this transaction has changed so far (flushing
    first): before a read of the table in the same transaction, and as it commits."""
    session.flush()
    _apply(session, session.info.pop("priorities", None))


def _before_commit(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's premises wait for the commit
        settle(session)


def _forget(session: Session, _previous_transaction) -> None:
    """A transaction rolled back changed nothing: its premises need no refresh."""
    if not session.in_transaction():
        session.info.pop("priorities", None)


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
    touched = list(session.scalars(query if where is None else query.where(where)))
    result = execute_state.invoke_statement()
    _pending(session).add(watch.kind, touched)
    return result


def install() -> None:
    """Listen on every session (idempotent: create_app may run many times in tests)."""
    for name, handler in (("after_flush", _collect), ("before_commit", _before_commit),
                          ("after_soft_rollback", _forget), ("do_orm_execute", _bulk)):
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)
