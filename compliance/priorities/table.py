"""Filling the priority table: one set-based statement works out premises' facts.

`refresh(connection, ids)` recomputes the rows of some premises (the maintenance hook calls it
in the transaction that changed them); `rebuild(connection)` recomputes every row (the seeder,
the migration and `flask --app compliance priorities rebuild`). Both run the same statement,
so a maintained row always equals a rebuilt one. Each fact is an indexed look-up for one
premises (indexes: migrations/versions/0009_pages.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, and_, delete, func, insert, select, true
from sqlalchemy.dialects import postgresql, sqlite

from compliance.models import (
    Assessment,
    FollowUp,
    Premises,
    PremisesAgency,
    PremisesPriority,
    Refusal,
    Retailer,
    Role,
    TestPurchase,
    TrainingCompletion,
    User,
    VerificationRequest,
    Visit,
)

CHUNK = 500  # premises per statement: well inside every driver's parameter limit
COLUMNS = ["premises_id", "name", "last_visit_at", "unresolved_failure", "rating",
           "next_due_at", "training_expires_at", "claimed", "created_at", "last_refusal_at",
           "follow_up_due_on", "verification_reason"]


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
    return (select(Premises.id, Premises.name, last_visit.scalar_subquery(), failed,
                   latest.add_columns(Assessment.rating).scalar_subquery(),
                   latest.add_columns(Assessment.next_due_at).scalar_subquery(),
                   training.scalar_subquery(), Retailer.claimed, Premises.created_at,
                   last_refusal.scalar_subquery(), follow_up_due.scalar_subquery(),
                   requested.scalar_subquery())
            .join(Retailer, Premises.retailer_id == Retailer.id)
            .where(where))


def _upsert(connection: Connection, where) -> None:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(PremisesPriority).from_select(COLUMNS, facts(where))
    connection.execute(statement.on_conflict_do_update(
        index_elements=["premises_id"],
        set_={c: getattr(statement.excluded, c) for c in COLUMNS[1:]}))


def _agencies(premises_ids):
    return (select(Visit.premises_id, Visit.agency_id).distinct()
            .where(Visit.status == "submitted", Visit.agency_id.is_not(None), premises_ids))


def refresh(connection: Connection, premises_ids: Iterable[int], visits: bool = True) -> None:
    """Recompute these premises' rows (and, after visits changed, their agencies)."""
    ordered = sorted(set(premises_ids))
    postgres = connection.dialect.name == "postgresql"
    for start in range(0, len(ordered), CHUNK):
        ids = ordered[start:start + CHUNK]
        if postgres:
            # Lock the rows first, so a concurrent change to the same premises waits and
            # then recomputes with this one's committed facts (never a stale last write).
            connection.execute(select(PremisesPriority.premises_id)
                               .where(PremisesPriority.premises_id.in_(ids))
                               .order_by(PremisesPriority.premises_id).with_for_update())
        _upsert(connection, Premises.id.in_(ids))
        if visits:
            _refresh_agencies(connection, ids, postgres)


def _refresh_agencies(connection: Connection, ids: list[int], postgres: bool) -> None:
    dialect = postgresql if postgres else sqlite
    connection.execute(dialect.insert(PremisesAgency)
                       .from_select(["premises_id", "agency_id"],
                                    _agencies(Visit.premises_id.in_(ids)))
                       .on_conflict_do_nothing())
    # A visit moved, deleted or back to draft: the agency stays only if another visit holds.
    still = (select(Visit.id).where(Visit.premises_id == PremisesAgency.premises_id,
                                    Visit.agency_id == PremisesAgency.agency_id,
                                    Visit.status == "submitted").exists())
    connection.execute(delete(PremisesAgency).where(PremisesAgency.premises_id.in_(ids), ~still))


def rebuild(connection: Connection) -> int:
    """Recompute every row from scratch (set-based); returns the number of premises."""
    connection.execute(delete(PremisesPriority))
    connection.execute(insert(PremisesPriority).from_select(COLUMNS, facts(true())))
    connection.execute(delete(PremisesAgency))
    connection.execute(insert(PremisesAgency).from_select(["premises_id", "agency_id"],
                                                          _agencies(true())))
    return connection.scalar(select(func.count()).select_from(PremisesPriority)) or 0


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
