"""A GET's plain SELECTs run outside a transaction (no BEGIN, no ROLLBACK); anything else, and
every other request, runs in one as before."""

from __future__ import annotations

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import text

from compliance import db_reads

pytestmark = pytest.mark.no_db


@pytest.fixture
def engine(pg_engine):
    db_reads.install(pg_engine)
    return pg_engine


def _status(conn) -> TransactionStatus:
    return conn.connection.dbapi_connection.info.transaction_status


@pytest.mark.parametrize("statement, plain", [
    ("SELECT users.id FROM users WHERE users.id = %(id)s", True),
    ("  select 1", True),
    ("SELECT users.id FROM users WHERE users.id = 1 FOR UPDATE", False),
    ("SELECT premises.id FROM premises FOR NO KEY UPDATE", False),
    ("SELECT pg_advisory_xact_lock(1)", False),
    ("SELECT nextval('users_id_seq')", False),
    ("SET LOCAL jit = off", False),
    ("WITH x AS (DELETE FROM users RETURNING id) SELECT id FROM x", False),
    ("WITH x AS (SELECT id, updated_at FROM visits) SELECT count(*) FROM x", True),
    ("with x as (update users set active = false returning id) select id from x", False),
    ("WITH x AS (SELECT id FROM users) SELECT id FROM x FOR UPDATE", False),
    ("WITHOUT", False),
    ("SELECTED", False),
    ("INSERT INTO users (id) VALUES (1)", False),
    ("SAVEPOINT sa_savepoint_1", False),
])
def test_plain_select(statement, plain):
    assert db_reads.plain_select(statement) is plain


def test_a_get_request_reads_outside_a_transaction(app, engine):
    with app.test_request_context("/", method="GET"), engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
        assert _status(conn) == TransactionStatus.IDLE  # no BEGIN was sent: nothing to undo
        conn.execute(text("SELECT 2"))
        assert _status(conn) == TransactionStatus.IDLE


@pytest.mark.parametrize("method", ["POST", None])  # a form post; the CLI or a job
def test_other_requests_and_no_request_read_in_a_transaction(app, engine, method):
    if method is None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            assert _status(conn) == TransactionStatus.INTRANS
        return
    with app.test_request_context("/", method=method), engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        assert _status(conn) == TransactionStatus.INTRANS


def test_a_get_that_goes_on_to_write_does_so_in_a_transaction(app, engine):
    with app.test_request_context("/", method="GET"), engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        # SET LOCAL has no effect outside a transaction: it shows that one was begun.
        conn.execute(text("SET LOCAL statement_timeout = 1234"))
        assert _status(conn) == TransactionStatus.INTRANS
        assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "1234ms"
        conn.execute(text("SELECT 1"))  # still inside it
        assert _status(conn) == TransactionStatus.INTRANS
        conn.rollback()
        conn.execute(text("SELECT 1"))  # a new transaction only when it writes again
        assert _status(conn) == TransactionStatus.IDLE


def test_a_pooled_connection_goes_back_in_transaction_mode(app, engine):
    with app.test_request_context("/", method="GET"), engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        dbapi = conn.connection.dbapi_connection
        assert dbapi.autocommit
    assert dbapi.autocommit is False  # checked in: as the pool handed it out
    with engine.connect() as conn:
        assert conn.connection.dbapi_connection is dbapi
        conn.execute(text("SELECT 1"))
        assert _status(conn) == TransactionStatus.INTRANS


def test_an_explicit_autocommit_connection_is_left_alone(app, engine):
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("SET statement_timeout = 0"))
        assert conn.connection.dbapi_connection.autocommit
        assert _status(conn) == TransactionStatus.IDLE
