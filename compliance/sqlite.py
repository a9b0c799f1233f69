"""SQLite connection settings for the embedded default."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure_sqlite(engine: Engine) -> None:
    """Foreign keys on, and transactions that SQLAlchemy controls.

    pysqlite's own transaction handling breaks SAVEPOINTs (which the tests rely on and which
    nested writes need), so BEGIN is emitted by SQLAlchemy instead, as its docs recommend.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN")
