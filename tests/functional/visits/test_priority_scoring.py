"""Stored priority scores (compliance/priorities/scoring.py): Python's rules equal SQL's, a
score is trusted only until its rescore_at, and `priorities rescore` stores the new ones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from compliance.extensions import db
from compliance.models import PremisesPriority as P
from compliance.models.base import utcnow
from compliance.models.priorities import ALL_PREMISES
from compliance.priorities import scoring
from compliance.priorities.maintenance import settle
from compliance.priorities.services import priority_list
from tests.factories import PremisesFactory
from tests.visit_factories import FollowUpFactory, VisitFactory

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
instants = st.one_of(st.none(), st.integers(-100, 100).map(
    lambda hours: NOW + timedelta(hours=hours * 37)))
facts = st.fixed_dictionaries({
    "unresolved_failure": st.booleans(), "rating": st.sampled_from([None, "red", "amber",
                                                                     "green"]),
    "next_due_at": instants, "training_expires_at": instants, "claimed": st.booleans(),
    "created_at": st.integers(0, 200).map(lambda days: NOW - timedelta(days=days)),
    "last_refusal_at": st.one_of(st.none(), st.integers(0, 200).map(
        lambda days: NOW - timedelta(days=days))),
    "follow_up_due_on": st.one_of(st.none(), st.integers(-5, 5).map(
        lambda days: NOW.date() + timedelta(days=days))),
    "last_visit_at": st.one_of(st.none(), st.just(NOW - timedelta(days=3))),
    "verification_reason": st.one_of(st.none(), st.just("New owner")),
})


# Hours after NOW to score at: any, and the instants where a condition's two sides meet (the
# facts' own grid: 37-hour steps for the due dates, whole days for the 60-day grace).
laters = st.one_of(st.integers(0, 24 * 90), st.integers(0, 58).map(lambda k: 37 * k),
                   st.integers(0, 90).map(lambda days: 24 * days))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=facts, later=laters)
def test_python_and_sql_score_a_row_alike_and_rescore_at_bounds_the_stored_score(cast, values,
                                                                                 later):
    shop = cast["shop"]
    settle(db.session)  # the shop's rows, as its commit would write them
    db.session.execute(update(P).where(P.premises_id == shop.id).values(**values))
    row = db.session.execute(select(*scoring.FACTS).where(
        P.scope_id == ALL_PREMISES, P.premises_id == shop.id)).one()
    at = NOW + timedelta(hours=later)
    sql = db.session.scalar(select(scoring.live_sort_key()).where(
        P.scope_id == ALL_PREMISES, P.premises_id == shop.id), scoring.clock(at))
    assert sql == -scoring.score_of(row, at)
    # Before rescore_at the score stored at NOW still holds.
    until = scoring.rescore_at(row, NOW)
    if until is None or at < until:
        assert scoring.score_of(row, at) == scoring.score_of(row, NOW)


def _sort_key(shop) -> tuple:
    return db.session.execute(select(P.sort_key, P.rescore_at).where(
        P.scope_id == ALL_PREMISES, P.premises_id == shop.id)).one()


def test_a_stale_row_is_scored_live_until_rescore_stores_it(app, cast):
    """A follow-up falls due: before any rescore the list already ranks the shop by its new
    score; `priorities rescore` then stores it and the next instant to look again."""
    officer, shop = cast["officer"], cast["shop"]
    other = PremisesFactory(name="Beta Street")
    VisitFactory(officer=officer, premises=other)
    FollowUpFactory(visit=VisitFactory(officer=officer, premises=shop),
                    due_on=utcnow().date() + timedelta(days=2))
    settle(db.session)
    key, rescore_at = _sort_key(shop)
    assert rescore_at is not None and rescore_at <= datetime.combine(
        utcnow().date() + timedelta(days=3), datetime.min.time(), tzinfo=UTC)
    later = utcnow() + timedelta(days=4)
    rows = {r.premises.id: r for r in priority_list(officer, now=later)}
    assert "overdue_follow_ups" in [x.key for x in rows[shop.id].reasons]
    assert -rows[shop.id].score < key  # ranked by the live score, not the stored one
    assert _sort_key(shop)[0] == key  # nothing stored yet

    result = app.test_cli_runner().invoke(args=["priorities", "rescore"])
    assert result.exit_code == 0 and "Rescored 0 premises" in result.output  # not yet stale
    scoring.rescore(db.session.connection(), now=later, only_stale=True)
    new_key, new_rescore_at = _sort_key(shop)
    assert new_key == -rows[shop.id].score and new_key < key
    assert new_rescore_at is None or new_rescore_at > later
    assert [r.premises.id for r in priority_list(officer, now=later)] == list(rows)


def test_rescore_at_is_the_first_date_that_can_change_the_score():
    row = type("Row", (), {
        "unresolved_failure": False, "rating": "green", "claimed": True,
        "next_due_at": NOW + timedelta(days=30), "training_expires_at": NOW + timedelta(days=9),
        "created_at": NOW - timedelta(days=400), "last_refusal_at": NOW - timedelta(days=55),
        "follow_up_due_on": date(2026, 6, 20), "last_visit_at": NOW,
        "verification_reason": None})()
    assert scoring.rescore_at(row, NOW) == NOW - timedelta(days=55) + timedelta(days=60)
    row.last_refusal_at = None  # 60 days without a refusal already: flagged now, for good
    assert scoring.rescore_at(row, NOW) == datetime(2026, 6, 21, tzinfo=UTC)  # the day after
    row.follow_up_due_on = None
    assert scoring.rescore_at(row, NOW) == NOW + timedelta(days=9)
    assert scoring.rescore_at(row, NOW + timedelta(days=31)) is None
