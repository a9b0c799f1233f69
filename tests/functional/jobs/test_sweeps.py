"""The worker's sweeps (compliance/jobs/registry.sweep): run between rounds on a real Redis
worker, each in its own transaction; one that fails is logged and the others still run."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from compliance.extensions import db
from compliance.jobs import queue, registry
from compliance.models import PremisesPriority as P
from compliance.models.base import utcnow
from compliance.models.priorities import ALL_PREMISES
from compliance.priorities import scoring
from compliance.priorities.maintenance import settle
from tests.factories import PremisesFactory
from tests.visit_factories import FollowUpFactory, VisitFactory


def _stored(shop):
    db.session.expire_all()
    return db.session.execute(select(P.sort_key, P.rescore_at).where(
        P.scope_id == ALL_PREMISES, P.premises_id == shop.id)).one()


def test_an_idle_worker_stores_the_new_score_of_a_shop_whose_date_has_passed(app, redis_mode):
    shop = PremisesFactory(name="Alpha Street")
    FollowUpFactory(visit=VisitFactory(premises=shop), due_on=utcnow().date() - timedelta(days=1))
    settle(db.session)
    fresh_key, _ = _stored(shop)
    # As if the follow-up had fallen due since the score was stored.
    db.session.execute(update(P).where(P.premises_id == shop.id).values(
        sort_key=0, rescore_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()

    queue.work(burst=True)

    key, rescore_at = _stored(shop)
    row = db.session.execute(select(*scoring.FACTS).where(
        P.scope_id == ALL_PREMISES, P.premises_id == shop.id)).one()
    assert key == fresh_key == -scoring.score_of(row, utcnow()) < 0
    assert rescore_at is None or rescore_at > utcnow()


def test_a_failing_sweep_is_logged_and_the_others_still_run(app, redis_mode, monkeypatch,
                                                            caplog):
    ran = []

    def broken():
        raise RuntimeError("storage unavailable")

    monkeypatch.setitem(registry._SWEEPS, "tests.a_broken", broken)
    monkeypatch.setitem(registry._SWEEPS, "tests.b_working", lambda: ran.append(1) or 1)

    results = queue.run_sweeps()

    assert results["tests.a_broken"] is None and results["tests.b_working"] == 1
    assert ran == [1] and "priorities.rescore" in results
    assert "sweep tests.a_broken failed" in caplog.text
    queue.work(burst=True)  # and the worker itself carries on
    assert ran == [1, 1]
