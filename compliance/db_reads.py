"""A GET request's plain SELECTs run without BEGIN and ROLLBACK (PostgreSQL).

A quick page makes two to four queries; wrapped in a transaction it also makes a BEGIN before
the first and a ROLLBACK at the end: a third of its exchanges with the server, each waiting
for it. Under READ COMMITTED (PostgreSQL's default, which the app keeps) every statement of a
transaction takes its own snapshot anyway, so a plain SELECT reads the same rows inside a
transaction or outside one, and holds no lock either way: running a GET's SELECTs in
autocommit changes nothing they see.

Anything else (a write, a locking `SELECT … FOR UPDATE`, `SET LOCAL`, a savepoint, a
server-side cursor, anything not plainly a SELECT) switches the connection back to a
transaction before it runs, so what a GET writes (the verify page's audit of a status change)
is as atomic as before. POST requests, the CLI and the job worker are untouched. A connection
goes back to the pool in transaction mode.
"""

from __future__ import annotations

import re
from functools import lru_cache

import psycopg
from flask import has_request_context, request
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_METHODS = frozenset({"GET", "HEAD"})
# A SELECT that locks, or calls something with a side effect, needs its transaction.
_NOT_PLAIN = re.compile(
    r"\bFOR\s+(?:UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b|\bINTO\b|pg_advisory|set_config"
    r"|nextval|setval", re.IGNORECASE)
# A WITH query is a plain SELECT unless one of its parts writes (a data-modifying CTE). A word
# that merely looks like one (a search pattern sent as a literal) only costs a transaction.
_WRITES = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
_FIRST_WORD = re.compile(r"\s*(SELECT|WITH)\b", re.IGNORECASE)
_AUTOCOMMITTED = "compliance_reads_autocommitted"


@lru_cache(maxsize=2048)
def plain_select(statement: str) -> bool:
    """A statement that only reads and locks nothing (anything in doubt is not).

    Kept per statement text: the app runs the same few hundred (SQLAlchemy caches their
    compiled text), and the search over a long one (a page's `IN (...)` of ten premises is
    several kilobytes) cost up to 0.2 ms each time. A `WITH` query counts when no part of it
    writes (the officer's home reads its answers through one)."""
    first = _FIRST_WORD.match(statement)
    if first is None or _NOT_PLAIN.search(statement):
        return False
    return first.group(1).upper() == "SELECT" or not _WRITES.search(statement)


def _reading_request() -> bool:
    return has_request_context() and request.method in READ_METHODS


def install(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, _parameters, _context, _executemany) -> None:
        dbapi, info = conn.connection.dbapi_connection, conn.connection.info
        ours = info.get(_AUTOCOMMITTED, False)
        if dbapi.autocommit and not ours:
            return  # an isolation level someone asked for (AUTOCOMMIT): theirs to keep
        if dbapi.info.transaction_status != TransactionStatus.IDLE:
            return  # inside a transaction already: it carries on as it is
        read = (_reading_request() and plain_select(statement)
                and not isinstance(cursor, psycopg.ServerCursor))
        if read != ours:
            dbapi.autocommit = read
            info[_AUTOCOMMITTED] = read

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_connection, record) -> None:
        if record.info.pop(_AUTOCOMMITTED, False) and dbapi_connection is not None:
            dbapi_connection.autocommit = False
