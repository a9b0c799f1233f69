"""SQLite connection settings for the embedded default, so the demo copes with a few users.

- WAL lets people read while someone writes.
- A busy timeout makes a writer wait for the lock instead of failing with "database is locked".
- A request that may write (POST and the like) starts its transaction with BEGIN IMMEDIATE, so
  it takes the write lock before it reads. A deferred transaction that reads first and then
  writes cannot wait for the lock (SQLite would deadlock), so it fails at once: that was the
  "database is locked" of concurrent requests. Reads (GET) stay deferred and run side by side,
  except the few GET pages that also write.
"""

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 15_000
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The GET pages that write (each look-up is counted); a test keeps this list complete.
WRITING_GET_ENDPOINTS = frozenset({"verify.show", "verify.show_json"})


def begin_statement() -> str:
    """BEGIN IMMEDIATE inside a request that may write; a plain (deferred) BEGIN otherwise."""
    if has_request_context() and (request.method not in _READ_METHODS
                                  or request.endpoint in WRITING_GET_ENDPOINTS):
        return "BEGIN IMMEDIATE"
    return "BEGIN"


def configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys on, and transactions that SQLAlchemy controls.

    pysqlite's own transaction handling breaks SAVEPOINTs (which the tests rely on and which
    nested writes need), so BEGIN is emitted by SQLAlchemy instead, as its docs recommend.
    Every transaction begins IMMEDIATE, taking the write lock at the start: a transaction that
    read first and wrote later could otherwise not be serialised with a concurrent writer and
    fails at once with "database is locked". With WAL, readers still never wait for writers,
    and a busy timeout makes the next writer wait its turn rather than fail.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")  # stays "memory" for an in-memory database
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, and much faster
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql(begin_statement())
