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

from compliance.extensions import db
from compliance.models import PremisesPriority as P
from compliance.models.base import utcnow
from compliance.models.priorities import ALL_PREMISES
from compliance.priorities import scoring, table
from tests.factories import PremisesFactory

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
