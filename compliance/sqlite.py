"""SQLite connection settings for the embedded default."""

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 15_000


def configure_sqlite(engine: Engine) -> None:
    """Foreign keys on, transactions that SQLAlchemy controls, and writers that wait in turn.

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
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
