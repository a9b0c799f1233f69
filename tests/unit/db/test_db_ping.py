"""Pooled PostgreSQL connections: pinged only after being idle, and a dead one is replaced."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from compliance import db_ping

pytestmark = pytest.mark.no_db


@pytest.fixture
def engine(app, pg_engine):
    engine = pg_engine
    db_ping.install(app, engine)
    pings = {"n": 0}
    real = engine.dialect.do_ping

    def counted(dbapi_connection):
        pings["n"] += 1
        return real(dbapi_connection)

    engine.dialect.do_ping = counted
    engine.pings = pings
    return engine


def backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_recently_used_connection_is_not_pinged_again(app, engine):
    first = backend_pid(engine)  # a new connection: pinged once on its first checkout
    assert engine.pings["n"] == 1
    assert backend_pid(engine) == first
    assert engine.pings["n"] == 1  # checked in a moment ago: no second ping


def test_an_idle_dead_connection_is_replaced_before_use(app, engine):
    dead = backend_pid(engine)
    killer = create_engine(engine.url)
    with killer.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dead})
    killer.dispose()
    for record in list(engine.pool._pool.queue):  # as if idle for an hour
        record.info[db_ping._CHECKED_IN] -= 3600
    assert backend_pid(engine) != dead  # the request gets a working connection, no error
    assert engine.pings["n"] == 3  # first use, the failed ping, the new connection's ping
