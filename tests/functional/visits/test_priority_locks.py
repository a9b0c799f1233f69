"""The job worker's sweep of stale priority scores never waits on a change in progress, so the
two cannot deadlock (PostgreSQL; SQLite has no row locks and one writer at a time).

A change (a request, a job) locks a premises' priority rows when it refreshes them and holds
them to its commit; a later flush of the same change may refresh another premises. The
sweep, in premises order, once waited on the first premises while holding the second: the
change then waited on the sweep, and PostgreSQL cancelled one of them.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from compliance.extensions import db
from compliance.models import PremisesPriority as P
from compliance.models import Refusal, Role
from compliance.models.base import utcnow
from compliance.models.priorities import ALL_PREMISES
from compliance.priorities import scoring, table
from tests.factories import PremisesFactory, UserFactory

pytestmark = [pytest.mark.no_db, pytest.mark.usefixtures("committed_db")]


def test_the_sweep_skips_a_premises_a_change_is_refreshing_and_never_deadlocks(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    first, second = PremisesFactory(name="Alpha Road"), PremisesFactory(name="Beta Road")
    db.session.commit()
    stale = utcnow() - timedelta(hours=1)
    db.session.execute(update(P).values(rescore_at=stale, sort_key=12345))
    db.session.commit()

    change = db.engine.connect()
    change_tx = change.begin()
    table.refresh(change, [second.id])  # a change holds the second premises' rows
    swept: list[int] = []
    errors: list[BaseException] = []

    def _sweep() -> None:
        try:
            with app.app_context(), db.engine.begin() as conn:
                swept.append(scoring.rescore(conn, only_stale=True))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    sweeper = threading.Thread(target=_sweep)
    sweeper.start()
    sweeper.join(10)
    finished = not sweeper.is_alive()
    try:
        # The change goes on to the first premises (say a second flush), which the sweep
        # scored: it may wait for the sweep to commit, never the other way round.
        table.refresh(change, [first.id])
        change_tx.commit()
    finally:
        change.close()
        sweeper.join(30)
    assert finished, "the sweep waited on the change's rows"
    assert errors == [] and swept == [1]  # the first premises; the second was skipped
    db.session.rollback()
    keys = dict(db.session.execute(select(P.premises_id, P.sort_key)
                                   .where(P.scope_id == ALL_PREMISES)).all())
    assert keys[first.id] != 12345 and keys[second.id] != 12345  # each scored once, fresh


def test_two_changes_touching_two_shops_in_opposite_orders_queue_and_never_deadlock(app):
    """Each change records a refusal at one shop, flushes, then one at the other shop (say a
    request of two flushes), the two in opposite orders. Refreshed after each flush, each
    change held one shop's rows and waited for the other's: PostgreSQL cancelled one. Now the
    rows are refreshed once at commit, in premises order: the second commit waits for the
    first, both succeed, and the table equals a rebuild."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    first, second = PremisesFactory(name="Alpha Road"), PremisesFactory(name="Beta Road")
    recorder = UserFactory(role=Role.MANAGER, retailer=first.retailer)
    db.session.commit()
    shops, by = (first.id, second.id), recorder.id
    flushed = [threading.Event(), threading.Event()]
    errors: list[BaseException] = []

    def change(me: int) -> None:
        order = shops if me == 0 else shops[::-1]
        try:
            with app.app_context(), Session(db.engine) as session:
                for step, premises_id in enumerate(order):
                    session.add(Refusal(premises_id=premises_id, occurred_at=utcnow(),
                                        product="Lock knife", reason="no_id",
                                        refused_by_name="Till 1", recorded_by_id=by))
                    session.flush()
                    if step == 0:  # both changes hold their first shop before either goes on
                        flushed[me].set()
                        flushed[1 - me].wait(10)
                session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=change, args=(me,)) for me in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(t.is_alive() for t in threads), "a change is still waiting"
    assert errors == []
    db.session.rollback()
    maintained = sorted(tuple(r) for r in db.session.execute(select(*P.__table__.c)))
    last = dict(db.session.execute(select(P.premises_id, P.last_refusal_at)
                                   .where(P.scope_id == ALL_PREMISES)).all())
    assert last[first.id] is not None and last[second.id] is not None
    with db.engine.connect() as conn, conn.begin() as tx:
        table.rebuild(conn)
        rebuilt = sorted(tuple(r) for r in conn.execute(select(*P.__table__.c)))
        tx.rollback()
    assert maintained == rebuilt
