"""Uniqueness and single use live in the database; these helpers turn their violations and
lost claims into domain exceptions, which views turn into normal pages.

A check in Python ("is this email taken?") races with a concurrent request doing the same; the
unique constraint does not. So services check first for the friendly message, then let the
database have the last word.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import UniqueConstraint, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.util import identity_key

from compliance.extensions import db


def _columns_of(constraint_name: str) -> set[str]:
    """'table.column' names of a unique constraint, as SQLite reports them."""
    for table in db.metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.name == constraint_name:
                return {f"{table.name}.{c.name}" for c in constraint.columns}
        for index in table.indexes:
            if index.unique and index.name == constraint_name:
                return {f"{table.name}.{c.name}" for c in index.columns}
    raise LookupError(constraint_name)


def violates(error: IntegrityError, constraint_name: str) -> bool:
    """Whether error is a violation of this unique constraint (PostgreSQL or SQLite)."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return diag.constraint_name == constraint_name
    message = str(error.orig)
    if not message.startswith("UNIQUE constraint failed: "):
        return False
    failed = {c.strip() for c in message.removeprefix("UNIQUE constraint failed: ").split(",")}
    return failed == _columns_of(constraint_name)


@contextmanager
def unique_or_raise(constraint_name: str, exception: Exception) -> Iterator[None]:
    """Run the block's writes in a savepoint; a violation of the constraint raises exception.

    The savepoint keeps the rest of the transaction usable, so the view can still commit an
    audit entry or render the form again.
    """
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError as error:
        if violates(error, constraint_name):
            raise exception from error
        raise


def claim(model, row_id: int, *conditions, **values) -> bool:
    """Set values on one row only if conditions still hold; True if this caller won.

    A single UPDATE ... WHERE: concurrent callers queue on the row lock and, once the winner
    commits, the condition no longer holds for them (PostgreSQL re-checks it; SQLite writers
    are serialised by BEGIN IMMEDIATE).
    """
    result = db.session.execute(
        update(model).where(model.id == row_id, *conditions).values(**values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    loaded = db.session.identity_map.get(identity_key(model, row_id))
    if loaded is not None:
        db.session.expire(loaded, list(values))  # read back what the UPDATE wrote
    return True
