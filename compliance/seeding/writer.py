"""Bulk inserts: PostgreSQL COPY through psycopg 3, executemany on SQLite.

Rows carry explicit ids (taken after the highest id already there), so related rows can point at
each other without a round trip; PostgreSQL's sequences are moved past them at the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import Table, func, select, text

from compliance.extensions import db

_BATCH = 5000


class BulkWriter:
    def __init__(self) -> None:
        self.is_postgres = db.engine.dialect.name == "postgresql"
        self.counts: dict[str, int] = {}
        self._next: dict[str, int] = {}

    def next_id(self, table: Table) -> int:
        """The first id free in `table` (ids below it are taken or reserved)."""
        if table.name not in self._next:
            self._next[table.name] = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        return self._next[table.name]

    def reserve(self, table: Table, count: int) -> int:
        """Reserve `count` ids; returns the first."""
        first = self.next_id(table)
        self._next[table.name] = first + count
        return first

    def write(self, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        """Insert rows (tuples in `columns` order). Returns how many were written."""
        db.session.flush()
        if self.is_postgres:
            written = self._copy(table, columns, rows)
        else:
            written = self._executemany(table, columns, rows)
        self.counts[table.name] = self.counts.get(table.name, 0) + written
        return written

    def _copy(self, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        raw = db.session.connection().connection.dbapi_connection
        names = ", ".join(columns)
        written = 0
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {table.name} ({names}) FROM STDIN") as copy:  # noqa: S608 - our names
            for row in rows:
                copy.write_row([json.dumps(v) if isinstance(v, (dict, list)) else v
                                for v in row])
                written += 1
        return written

    def _executemany(self, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        written = 0
        batch: list[dict] = []
        insert = table.insert()
        for row in rows:
            batch.append(dict(zip(columns, row, strict=True)))
            if len(batch) >= _BATCH:
                db.session.execute(insert, batch)
                written += len(batch)
                batch = []
        if batch:
            db.session.execute(insert, batch)
            written += len(batch)
        return written

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids written, and refresh planner statistics."""
        if not self.is_postgres:
            return
        for name in self._next:
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"))
        # Copied in this transaction, the tables' statistics still describe them before it
        # (empty, on a new database): the tallies and the priority table are worked out from
        # them next, and planned on those statistics their set-based statements ran seven
        # times slower at national scale.
        db.session.execute(text(f"ANALYZE {', '.join(self._next)}"))
