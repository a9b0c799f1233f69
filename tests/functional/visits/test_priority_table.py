"""The maintained priority table (compliance/priorities): after every kind of change made
through the services, the rows the session hooks kept equal a fresh rebuild, and the list
reads the table in a constant two queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, text, update

from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import (
    Assessment,
    FollowUp,
    PremisesPriority,
    QuizAttempt,
    Role,
    TrainingCompletion,
)
from compliance.models.base import utcnow
from compliance.models.priorities import ALL_PREMISES
from compliance.priorities.maintenance import settle
from compliance.priorities.services import priority_list, priority_page
from compliance.priorities.table import rebuild
from compliance.refusals.services import RefusalDetails
from compliance.refusals.services import record as record_refusal
from compliance.verification.services import request_visit
from compliance.visits.services import load_visit, submit_visit
from tests.factories import PremisesFactory, UserFactory
from tests.visit_factories import FollowUpFactory, OfficerFactory, PurchaseFactory, VisitFactory

TABLE = PremisesPriority.__table__


def _rows() -> list[tuple]:
    return sorted(tuple(r) for r in db.session.execute(select(*TABLE.c)))


def consistent() -> dict[int, dict]:
    """The maintained rows equal a rebuild's; returns them by scope and premises (brought up
    to date as a commit would: the hooks refresh the table at commit, or before a read)."""
    settle(db.session)
    maintained = _rows()
    nested = db.session.begin_nested()
    rebuild(db.session.connection())
    rebuilt = _rows()
    nested.rollback()
    assert maintained == rebuilt
    return {(r[0], r[1]): dict(zip(TABLE.c.keys(), r, strict=True)) for r in maintained}


def _submit(visit, officer) -> None:
    db.session.flush()
    visit = load_visit(visit.id)
    assert submit_visit(visit, visit.lock_version, Actor(officer), mail=None)


def _training(person, expires_at) -> None:
    attempt = QuizAttempt(user_id=person.id, jurisdiction="england-wales", total=1,
                          pass_mark=80, submitted_at=expires_at - timedelta(days=365))
    db.session.add(attempt)
    db.session.flush()
    db.session.add(TrainingCompletion(user_id=person.id, attempt_id=attempt.id,
                                      completed_at=attempt.submitted_at, expires_at=expires_at,
                                      score_percent=90))


def _reasons(officer, shop, now=None) -> list[str]:
    rows = {r.premises.id: r for r in priority_list(officer, now=now)}
    return [x.key for x in rows[shop.id].reasons] if shop.id in rows else []


def test_the_maintained_rows_equal_a_rebuild_after_each_change(cast):
    from compliance.followups.services import respond  # after visits (a circular import)

    officer, manager, shop = cast["officer"], cast["manager"], cast["shop"]
    agency = officer.agency_id
    rows = consistent()
    assert rows[(ALL_PREMISES, shop.id)]["last_visit_at"] is None
    assert (agency, shop.id) not in rows  # nobody has visited: on every agency's list
    assert "never_visited" in _reasons(officer, shop)

    # A visit with a failed test purchase, submitted through the service.
    visit = VisitFactory(officer=officer, premises=shop, status="draft", submitted_at=None,
                         visit_type="test_purchase")
    PurchaseFactory(visit=visit, premises_id=shop.id, sold=True)
    assert consistent()[(ALL_PREMISES, shop.id)]["last_visit_at"] is None  # a draft
    _submit(visit, officer)
    rows = consistent()
    assert rows[(agency, shop.id)]["unresolved_failure"] is True
    assert rows[(ALL_PREMISES, shop.id)]["last_visit_at"] is not None
    assert _reasons(officer, shop)[0] == "failed_test_purchase"

    # A follow-up visit resolves it.
    again = VisitFactory(officer=officer, premises=shop, status="draft", submitted_at=None,
                         visit_type="follow_up", visited_at=utcnow())
    _submit(again, officer)
    assert consistent()[(agency, shop.id)]["unresolved_failure"] is False
    assert "failed_test_purchase" not in _reasons(officer, shop)

    # A red self-assessment, due again in a year.
    db.session.add(Assessment(premises_id=shop.id, status="submitted",
                              started_by_id=manager.id, submitted_at=utcnow(), profile={},
                              rating="red", next_due_at=utcnow() + timedelta(days=365)))
    assert consistent()[(agency, shop.id)]["rating"] == "red"
    assert "assessment_red" in _reasons(officer, shop)
    assert "assessment_overdue" in _reasons(officer, shop, now=utcnow() + timedelta(days=400))

    # Training that lapses in ten days: expired only once the clock passes it.
    staff = UserFactory(role=Role.STAFF, retailer=shop.retailer, premises=shop,
                        created_at=utcnow() - timedelta(days=30))
    _training(staff, utcnow() + timedelta(days=10))
    assert consistent()[(agency, shop.id)]["training_expires_at"] is not None
    assert "training_expired" not in _reasons(officer, shop)
    assert "training_expired" in _reasons(officer, shop, now=utcnow() + timedelta(days=11))

    # A refusal recorded in the register.
    record_refusal(shop, RefusalDetails(occurred_at=utcnow(),
                                        product="Knife", reason="no_id", description=None,
                                        refused_by_id=staff.id), Actor(manager))
    assert consistent()[(agency, shop.id)]["last_refusal_at"] is not None

    # A follow-up going overdue (the clock, not a change), then answered (a bulk UPDATE).
    follow_up = FollowUpFactory(visit=again, due_on=utcnow().date() + timedelta(days=2))
    rows = consistent()
    assert rows[(agency, shop.id)]["follow_up_due_on"] == follow_up.due_on
    later = utcnow() + timedelta(days=4)
    assert "overdue_follow_ups" in _reasons(officer, shop, now=later)
    respond(follow_up, "Sign is up", Actor(manager), mail=None)
    assert consistent()[(agency, shop.id)]["follow_up_due_on"] is None
    assert "overdue_follow_ups" not in _reasons(officer, shop, now=later)

    # A verification visit requested by the manager.
    request_visit(shop, "New till system", Actor(manager))
    assert consistent()[(agency, shop.id)]["verification_reason"] == "New till system"
    assert "verification_requested" in _reasons(officer, shop)

    # The trained member of staff leaves: nobody's training to lapse any more.
    staff.active = False
    assert consistent()[(agency, shop.id)]["training_expires_at"] is None

    # The business is no longer registered; the shop is renamed.
    shop.retailer.claimed = False
    shop.name = "Alpha Market Street"
    rows = consistent()
    assert rows[(agency, shop.id)]["claimed"] is False
    assert rows[(ALL_PREMISES, shop.id)]["name"] == "Alpha Market Street"

    # Another agency visits too: the shop joins its scope; the visit goes back to draft and
    # the shop leaves it again.
    stranger = cast["stranger"]
    theirs = VisitFactory(officer=stranger, premises=shop)
    assert (stranger.agency_id, shop.id) in consistent()
    theirs.status = "draft"
    assert (stranger.agency_id, shop.id) not in consistent()


def test_a_bulk_update_bypassing_the_session_is_caught(cast):
    follow_up = FollowUpFactory(visit=VisitFactory(officer=cast["officer"], premises=cast["shop"]),
                                due_on=utcnow().date() - timedelta(days=1))
    assert consistent()[(ALL_PREMISES, cast["shop"].id)]["follow_up_due_on"] is not None
    db.session.execute(update(FollowUp).where(FollowUp.id == follow_up.id)
                       .values(status="closed").execution_options(synchronize_session=False))
    assert consistent()[(ALL_PREMISES, cast["shop"].id)]["follow_up_due_on"] is None


def test_a_change_writes_each_priority_row_once(cast):
    """Facts and score in one write: a refresh upserts each row with its score (it used to
    upsert the facts and then update the score, two writes of every row it touched)."""
    officer = cast["officer"]
    visit = VisitFactory(officer=officer, premises=cast["shop"], status="draft",
                         submitted_at=None, visit_type="test_purchase")
    PurchaseFactory(visit=visit, premises_id=cast["shop"].id, sold=True)
    db.session.flush()
    settle(db.session)
    writes: list[str] = []

    def _seen(_conn, _cursor, statement, *_args, **_kwargs):
        writes.extend(w.upper() for w in re.findall(
            r"\b(INSERT INTO|UPDATE)\s+premises_priority\b", statement, re.IGNORECASE))

    _submit(visit, officer)  # the visit's premises joins the officer's agency's scope
    event.listen(db.engine, "after_cursor_execute", _seen)
    try:
        settle(db.session)
    finally:
        event.remove(db.engine, "after_cursor_execute", _seen)
    assert writes == ["INSERT INTO"]
    rows = consistent()  # the score written with the facts is a rebuild's
    assert rows[(officer.agency_id, cast["shop"].id)]["sort_key"] <= -5  # the failed purchase


def test_the_list_is_two_queries_however_many_shops(cast, count_queries):
    officer = cast["officer"]
    for n in range(30):
        VisitFactory(officer=officer if n % 2 else OfficerFactory(agency=officer.agency),
                     premises=PremisesFactory(name=f"Shop {n}"))
        PremisesFactory(name=f"Unvisited {n}")
    settle(db.session)  # the rows a commit would leave; the list's own statements counted
    for page in (1, 2):
        with count_queries() as counter:
            result = priority_page(officer, page, 10)
        assert len(result.items) == 10 and counter["n"] == 2
    with count_queries() as counter:
        assert priority_page(officer, 99, 10).items == []
    assert counter["n"] == 2  # past the end: the ranked page, then the total


def test_the_dashboards_top_five_is_the_lists_first_five_without_counting(cast):
    officer = cast["officer"]
    for n in range(8):
        PremisesFactory(name=f"Unvisited {n}")
    db.session.flush()
    first = priority_page(officer, 1, 5)
    top = priority_list(officer, limit=5)
    assert first.total > 5
    assert [r.premises.id for r in top] == [r.premises.id for r in first.items]
    assert [r.reasons for r in top] == [r.reasons for r in first.items]


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_the_rebuild_command_fills_the_table(app, cast, who):
    VisitFactory(officer=cast["officer"], premises=cast["shop"])
    PremisesFactory(name="Never visited")
    settle(db.session)
    before, listed = _rows(), [r.premises.id for r in priority_list(cast[who])]
    assert listed
    db.session.execute(TABLE.delete())
    assert priority_list(cast[who]) == []
    result = app.test_cli_runner().invoke(args=["priorities", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt the priority table" in result.output
    assert _rows() == before
    assert [r.premises.id for r in priority_list(cast[who])] == listed


def test_each_kind_of_list_reads_its_own_rows(cast):
    """An officer of no agency: never-visited shops and those they visited themselves; an
    admin narrowed to an agency: that agency's shops only; an agency's officer narrowed to
    another agency: the shops both have visited (statements built once per shape)."""
    officer, stranger, admin = cast["officer"], cast["stranger"], cast["admin"]
    loner = OfficerFactory(agency=None)
    never = PremisesFactory(name="Never visited")
    mine = PremisesFactory(name="Loner's shop")
    theirs = PremisesFactory(name="Agency's shop")
    both = PremisesFactory(name="Everyone's shop")
    late = utcnow().date() - timedelta(days=1)  # an overdue follow-up: a reason to go back
    for visitor, shop, agency in ((loner, mine, None), (officer, theirs, officer.agency_id),
                                  (officer, both, officer.agency_id),
                                  (stranger, both, stranger.agency_id)):
        FollowUpFactory(visit=VisitFactory(officer=visitor, premises=shop, agency_id=agency),
                        due_on=late)
    db.session.flush()

    def names(user, **filters):
        from compliance.areas import ListFilters

        return {r.premises.name for r in priority_page(user, 1, 50, ListFilters(**filters))
                .items}

    assert {"Never visited", "Loner's shop"} <= names(loner)
    assert not {"Agency's shop", "Everyone's shop"} & names(loner)
    assert names(admin, agency_id=officer.agency_id) == {"Agency's shop", "Everyone's shop"}
    assert "Never visited" in names(admin) and "Loner's shop" in names(admin)
    assert names(stranger, agency_id=officer.agency_id) == {"Everyone's shop"}
    assert never.id and mine.id and theirs.id


def test_a_rebuild_tells_the_planner_the_tables_new_size_before_scoring(cast):
    """Scoring updates the rows a premises at a time; filled in the same transaction, the
    table's statistics must be fresh first, or PostgreSQL reads the whole table for each
    premises' update (a seeded national table took 340 s to score, 1/10 of it 5 s)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner statistics")
    for n in range(23):
        PremisesFactory(name=f"Counted {n}")
    db.session.flush()
    rebuild(db.session.connection())
    rows = db.session.scalar(select(func.count()).select_from(TABLE))
    estimated = db.session.scalar(text(
        "SELECT reltuples FROM pg_class WHERE relname = 'premises_priority'"))
    assert rows > 23 and estimated == rows
