"""Race tests: the same request sent by several threads at once, against committed data.

The per-test transaction of the root conftest cannot be shared between threads, so race tests
are marked `no_db` and use the `committed_db` fixture: data is really committed through the
real engine, each thread's client gets its own connection from the pool, and every table is
emptied afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from flask import Flask
from sqlalchemy import text

from compliance.extensions import db

T = TypeVar("T")


def run_concurrently(count: int, work: Callable[[int], T], timeout: float = 60) -> list[T]:
    """Run work(0..count-1) in threads released together by a barrier; re-raise any error."""
    # End the test's own transaction first: on SQLite it would hold the write lock.
    db.session.commit()
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def _run(i: int) -> None:
        try:
            barrier.wait(timeout)
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)

    threads = [threading.Thread(target=_run, args=(i,), name=f"race-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    return results


def empty_all_tables() -> None:
    tables = [t.name for t in db.metadata.sorted_tables]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):
                conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - our own table names


@pytest.fixture
def committed_db(app: Flask) -> Iterator[None]:
    """An app context on the real engine; what the test commits is removed afterwards."""
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()
            empty_all_tables()


def signed_in_client(app: Flask, user) -> object:
    """A test client of its own (one per thread), signed in as user."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client
