"""Filling the priority table: one set-based statement works out premises' facts.

`refresh(connection, ids)` recomputes some premises' rows in every scope (the maintenance
hook calls it in the transaction that changed them); `rebuild(connection)` recomputes every
row (the seeder and `flask --app compliance priorities rebuild`). Both read the same
statement's facts and score them with the same rules (priorities/scoring.py), so a
maintained row always equals a rebuilt one; a refresh writes each row once, facts and score
together, a rebuild fills the facts set-based and then stores the scores. Each fact is an indexed
look-up for one premises (indexes: migrations/versions/0009_pages.py), worked out once per
premises and then copied to each scope it is in (models/priorities.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, and_, delete, func, insert, literal, select, true, union_all
from sqlalchemy.dialects import postgresql, sqlite

from compliance.models import (
    Assessment,
    FollowUp,
    Premises,
    Refusal,
    Retailer,
    Role,
    TestPurchase,
    TrainingCompletion,
    User,
    VerificationRequest,
    Visit,
)
from compliance.models.base import utcnow
from compliance.models.priorities import ALL_PREMISES
from compliance.models.priorities import PremisesPriority as P
from compliance.priorities.scoring import rescore, rescore_at, score_of

CHUNK = 500  # premises per statement: well inside every driver's parameter limit
COLUMNS = ["premises_id", "name", "last_visit_at", "unresolved_failure", "rating",
           "next_due_at", "training_expires_at", "claimed", "created_at", "last_refusal_at",
           "follow_up_due_on", "verification_reason"]
SCORED = [*COLUMNS, "sort_key", "rescore_at"]  # what a refresh writes


def facts(where):
    """One row per premises matching `where`, in COLUMNS order."""
    here = Premises.id
    last_visit = (select(func.max(Visit.visited_at))
                  .where(Visit.premises_id == here, Visit.status == "submitted"))
    # A LIMIT 1 probe of the partial index of unresolved failures (usually empty).
    failed = (select(TestPurchase.id).join(Visit, TestPurchase.visit_id == Visit.id)
              .where(TestPurchase.premises_id == here, TestPurchase.sold.is_(True),
                     TestPurchase.resolved_at.is_(None), Visit.status == "submitted")
              .limit(1).scalar_subquery().is_not(None))
    latest = (select().where(Assessment.premises_id == here, Assessment.status == "submitted")
              .order_by(Assessment.submitted_at.desc(), Assessment.id.desc()).limit(1))
    newest_training = (select(func.max(TrainingCompletion.expires_at))
                       .where(TrainingCompletion.user_id == User.id).scalar_subquery())
    training = (select(func.min(newest_training))
                .where(User.premises_id == here, User.active.is_(True), User.role == Role.STAFF))
    last_refusal = select(func.max(Refusal.occurred_at)).where(Refusal.premises_id == here)
    follow_up_due = (select(func.min(FollowUp.due_on))
                     .where(FollowUp.premises_id == here,
                            FollowUp.status.in_(("open", "returned"))))
    requested = (select(VerificationRequest.reason)
                 .where(VerificationRequest.premises_id == here,
                        VerificationRequest.resolved_at.is_(None))
                 .order_by(VerificationRequest.id).limit(1))
    values = (Premises.id, Premises.name, last_visit.scalar_subquery(), failed,
              latest.add_columns(Assessment.rating).scalar_subquery(),
              latest.add_columns(Assessment.next_due_at).scalar_subquery(),
              training.scalar_subquery(), Retailer.claimed, Premises.created_at,
              last_refusal.scalar_subquery(), follow_up_due.scalar_subquery(),
              requested.scalar_subquery())
    return (select(*(value.label(name) for value, name in zip(values, COLUMNS, strict=True)))
            .join(Retailer, Premises.retailer_id == Retailer.id)
            .where(where))


def _scoped(where):
    """The facts once per scope each premises is in: every premises', and its agencies'."""
    found = facts(where).cte("facts").prefix_with("MATERIALIZED", dialect="postgresql")
    everyone = select(literal(ALL_PREMISES).label("scope_id"), found.c.premises_id)
    agencies = (select(Visit.agency_id, Visit.premises_id).distinct()
                .where(Visit.status == "submitted", Visit.agency_id.is_not(None),
                       Visit.premises_id.in_(select(found.c.premises_id))))
    scopes = union_all(everyone, agencies).subquery("scopes")
    return (select(scopes.c.scope_id, *found.c)
            .join_from(scopes, found, scopes.c.premises_id == found.c.premises_id)
            .where(true()))  # SQLite needs a WHERE before an upsert's ON CONFLICT


def refresh(connection: Connection, premises_ids: Iterable[int],
            now: datetime | None = None) -> None:
    """Recompute these premises' rows in every scope, facts and score together: each row is
    written once (its facts read by one set-based statement a chunk, scored in Python, then
    upserted), never written with its facts and again with its score."""
    ordered = sorted(set(premises_ids))
    postgres = connection.dialect.name == "postgresql"
    dialect = postgresql if postgres else sqlite
    now = now or utcnow()
    for start in range(0, len(ordered), CHUNK):
        ids = ordered[start:start + CHUNK]
        if postgres:
            # Lock the rows first, so a concurrent change to the same premises waits and
            # then recomputes with this one's committed facts (never a stale last write).
            connection.execute(select(P.scope_id).where(P.premises_id.in_(ids))
                               .order_by(P.premises_id, P.scope_id).with_for_update())
        rows = [{**row._mapping, "sort_key": -score_of(row, now),
                 "rescore_at": rescore_at(row, now)}
                for row in connection.execute(_scoped(Premises.id.in_(ids)))]
        if rows:
            statement = dialect.insert(P)
            connection.execute(statement.on_conflict_do_update(
                index_elements=["scope_id", "premises_id"],
                set_={c: getattr(statement.excluded, c) for c in SCORED[1:]}), rows)
        # An agency leaves a premises' scope when its last submitted visit there went
        # (moved, deleted or back to draft).
        still = (select(Visit.id).where(Visit.premises_id == P.premises_id,
                                        Visit.agency_id == P.scope_id,
                                        Visit.status == "submitted").exists())
        connection.execute(delete(P).where(P.premises_id.in_(ids),
                                           P.scope_id != ALL_PREMISES, ~still))


def rebuild(connection: Connection) -> int:
    """Recompute every row from scratch, facts and scores; returns the number of premises."""
    count = fill_facts(connection)
    if connection.dialect.name == "postgresql":
        # Scoring updates the rows a premises at a time. Filled in this transaction, the
        # table's statistics may still say it is empty (a fresh seed), and the planner then
        # reads the whole table for each premises' update: 50,000 times at national scale.
        connection.exec_driver_sql(f"ANALYZE {P.__tablename__}")
    rescore(connection)
    return count


def fill_facts(connection: Connection) -> int:
    """Every row's facts from scratch (set-based), scores left at 0: migration 0013, which
    ran before scores were stored, and rebuild(). Returns the number of premises."""
    connection.execute(delete(P))
    # In scope order, so each agency's rows sit together on disk (its list reads a range).
    rows = _scoped(true())
    connection.execute(insert(P).from_select(
        ["scope_id", *COLUMNS], rows.order_by(rows.selected_columns.scope_id,
                                              rows.selected_columns.premises_id)))
    return connection.scalar(select(func.count()).select_from(P)
                             .where(P.scope_id == ALL_PREMISES)) or 0


def premises_of(connection: Connection, users: set[int], retailers: set[int]) -> set[int]:
    """The premises whose facts depend on these staff (training) or businesses (claimed)."""
    found: set[int] = set()
    for column, key, values in ((User.premises_id, User.id, users),
                                (Premises.id, Premises.retailer_id, retailers)):
        ordered = sorted(values)
        for start in range(0, len(ordered), CHUNK):
            found.update(connection.scalars(select(column).where(
                and_(key.in_(ordered[start:start + CHUNK]), column.is_not(None)))))
    return found
