"""Refusals register services: recording, corrections, Monday-based weeks and sign-off."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from compliance.audit import Actor
from compliance.csv_export import neutralise as safe
from compliance.extensions import db
from compliance.models import AuditEvent, RefusalSignOff, Role
from compliance.models.base import utcnow
from compliance.refusals import clock, services, signoff
from compliance.refusals.export import register_csv
from tests.factories import PremisesFactory, RefusalFactory, UserFactory


@pytest.fixture
def shop():
    premises = PremisesFactory(created_at=datetime(2026, 6, 1, tzinfo=UTC))
    staff = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
    manager = UserFactory(role=Role.MANAGER, retailer=premises.retailer)
    return premises, staff, manager


def details(refused_by, **kw) -> services.RefusalDetails:
    values = {"occurred_at": utcnow() - timedelta(days=1), "product": " Axe ",
              "reason": "no_id", "description": "  ", "refused_by_id": refused_by.id}
    return services.RefusalDetails(**(values | kw))


@pytest.mark.parametrize("day, monday", [
    (date(2026, 11, 23), date(2026, 11, 23)),  # a Monday
    (date(2026, 11, 29), date(2026, 11, 23)),  # the Sunday after
    (date(2026, 11, 25), date(2026, 11, 23)),
    (date(2027, 1, 1), date(2026, 12, 28)),    # across a year
])
def test_weeks_start_on_monday(day, monday):
    assert clock.monday_of(day) == monday


def test_week_bounds_are_uk_midnights_in_utc():
    assert clock.week_bounds(date(2026, 7, 6)) == (
        datetime(2026, 7, 5, 23, tzinfo=UTC), datetime(2026, 7, 12, 23, tzinfo=UTC))
    winter = clock.week_bounds(date(2026, 11, 23))
    assert winter == (datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC))


def test_record_names_only_people_of_the_premises(shop):
    premises, staff, manager = shop
    refusal = services.record(premises, details(staff), Actor(staff))
    assert (refusal.product, refusal.description, refusal.refused_by_name) == (
        "Axe", None, staff.name)
    elsewhere = UserFactory(role=Role.STAFF, retailer=premises.retailer,
                            premises=PremisesFactory(retailer=premises.retailer))
    left = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises,
                       active=False)
    assert {u.id for u in services.refusers(premises)} == {staff.id, manager.id}
    for who in (elsewhere, left, UserFactory(role=Role.OFFICER)):
        with pytest.raises(services.NotPermitted):
            services.record(premises, details(who), Actor(staff))
    with pytest.raises(services.NotPermitted):
        services.record(premises, details(staff, reason="bored"), Actor(staff))


def test_corrections_chain_and_never_change_the_original(shop):
    premises, staff, manager = shop
    original = services.record(premises, details(staff), Actor(staff))
    with pytest.raises(ValueError):  # a correction always says why
        services.record(premises, details(staff), Actor(manager), corrects=original)
    fixed = services.record(premises, details(staff, product="Hatchet"), Actor(manager),
                            corrects=original, correction_reason="It was a hatchet")
    assert fixed.corrects_id == original.id and original.product == "Axe"
    with pytest.raises(services.AlreadyCorrected) as exc:
        services.record(premises, details(staff), Actor(manager), corrects=original,
                        correction_reason="x")
    assert exc.value.newer.id == fixed.id
    other = PremisesFactory(retailer=premises.retailer)
    with pytest.raises(services.NotPermitted):
        services.record(other, details(manager), Actor(manager), corrects=fixed,
                        correction_reason="x")
    _page, entries = services.register_page(premises.id, 1, 25)
    assert [(e.refusal.id, e.corrected_by_id) for e in entries] == [
        (fixed.id, None), (original.id, fixed.id)]


def test_sign_off_once_per_past_or_current_week(shop):
    premises, staff, manager = shop
    today = date(2026, 11, 25)
    monday = date(2026, 11, 23)
    first = RefusalFactory(premises=premises, recorded_by=staff,
                           occurred_at=datetime(2026, 11, 24, 10, tzinfo=UTC))
    RefusalFactory(premises=premises, recorded_by=staff, corrects_id=first.id,
                   occurred_at=datetime(2026, 11, 24, 10, tzinfo=UTC))
    RefusalFactory(premises=premises, recorded_by=staff,
                   occurred_at=datetime(2026, 11, 22, 23, 30, tzinfo=UTC))  # Sunday before
    sign_off = signoff.sign_off_week(premises, monday, " ok ", Actor(manager), today)
    assert (sign_off.entries, sign_off.note, sign_off.signed_by_id) == (1, "ok", manager.id)
    with pytest.raises(signoff.AlreadySignedOff):
        signoff.sign_off_week(premises, monday, None, Actor(manager), today)
    for start in (monday + timedelta(days=1), monday + timedelta(weeks=1)):
        with pytest.raises(signoff.InvalidWeek):
            signoff.sign_off_week(premises, start, None, Actor(manager), today)
    earlier = signoff.sign_off_week(premises, monday - timedelta(weeks=5), None,
                                     Actor(manager), today)
    assert earlier.entries == 0


def test_weeks_list_counts_entries_and_shows_unsigned_weeks(shop, count_queries):
    premises, staff, manager = shop
    premises.created_at = datetime(2026, 10, 1, tzinfo=UTC)
    today = date(2026, 11, 25)
    for when in (datetime(2026, 11, 24, 9, tzinfo=UTC), datetime(2026, 11, 25, 9, tzinfo=UTC),
                 datetime(2026, 11, 17, 9, tzinfo=UTC)):
        RefusalFactory(premises=premises, recorded_by=staff, occurred_at=when)
    db.session.add(RefusalSignOff(premises_id=premises.id, week_start=date(2026, 11, 16),
                                  signed_by_id=manager.id, entries=1))
    db.session.flush()
    with count_queries() as counter:
        weeks = signoff.weeks(premises, today)
        names = [w.sign_off.signed_by.name for w in weeks if w.sign_off]
    # The first entry, the entries since the start, the sign-offs with who signed them.
    assert counter["n"] == 3 and names == [manager.name]
    assert weeks[0].start == date(2026, 11, 23) and weeks[0].current and weeks[0].entries == 2
    assert weeks[1].start == date(2026, 11, 16) and weeks[1].sign_off is not None
    assert weeks[-1].start == date(2026, 9, 28)  # the week the premises registered
    assert len(weeks) == 9 and weeks[0].end == date(2026, 11, 29)
    # An entry from before registering (a correction's original, a migrated register).
    RefusalFactory(premises=premises, recorded_by=staff,
                   occurred_at=datetime(2026, 9, 10, 9, tzinfo=UTC))
    db.session.flush()
    assert signoff.weeks(premises, today)[-1].start == date(2026, 9, 7)
    premises.created_at = datetime(2025, 1, 1, tzinfo=UTC)
    db.session.flush()
    with count_queries() as counter:
        weeks = signoff.weeks(premises, today)
    assert len(weeks) == signoff.WEEKS_SHOWN and weeks[-1].start == date(2026, 9, 7)
    assert counter["n"] == 2  # registered before the window: no need for the first entry


def test_csv_neutralises_spreadsheet_formulas(shop):
    premises, staff, _manager = shop
    RefusalFactory(premises=premises, recorded_by=staff, product="+SUM(A1)",
                   description="@cmd", occurred_at=datetime(2026, 11, 24, 9, tzinfo=UTC))
    text = register_csv(services.all_entries(premises.id), signoff.sign_offs(premises.id))
    assert "'+SUM(A1)" in text and "'@cmd" in text
    assert safe("-1") == "'-1" and safe("Axe") == "Axe" and safe(None) == "" and safe(-1) == -1


NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


@pytest.mark.parametrize("when, error", [
    (NOW + timedelta(minutes=4), None),  # clocks differ a little
    (NOW + timedelta(minutes=6), services.TimeInFuture),
    (datetime(2026, 8, 31, 0, tzinfo=UTC) - timedelta(hours=1), None),  # 90 days: UK midnight
    (datetime(2026, 8, 30, 22, 59, tzinfo=UTC), services.TimeTooLongAgo),
    (datetime(2026, 5, 31, 23, tzinfo=UTC), services.TimeBeforeJoining),
])
def test_entry_times_are_bounded(shop, when, error):
    premises = shop[0]  # joined 1 June 2026
    if error is None:
        services.check_time(premises, when, max_days_back=90, now=NOW)
    else:
        with pytest.raises(error):
            services.check_time(premises, when, max_days_back=90, now=NOW)


def test_a_correction_may_keep_its_entry_s_old_time(shop):
    premises, staff, _manager = shop
    old = RefusalFactory(premises=premises, recorded_by=staff,
                         occurred_at=datetime(2026, 7, 1, 9, tzinfo=UTC))
    services.check_time(premises, old.occurred_at, max_days_back=90, corrects=old, now=NOW)
    with pytest.raises(services.TimeTooLongAgo) as exc:
        services.check_time(premises, old.occurred_at - timedelta(days=1), max_days_back=90,
                            corrects=old, now=NOW)
    assert exc.value.earliest == old.occurred_at


def test_recording_is_audited_like_a_correction(shop):
    premises, staff, _manager = shop
    refusal = services.record(premises, details(staff), Actor(staff))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "refusal_recorded"))
    assert (event.target_id, event.actor_id, event.details) == (
        refusal.id, staff.id, {"premises_id": premises.id})


def test_several_weeks_are_signed_separately_and_never_twice(shop):
    premises, staff, manager = shop
    today = date(2026, 11, 25)
    weeks = [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 9)]
    RefusalFactory(premises=premises, recorded_by=staff,
                   occurred_at=datetime(2026, 11, 17, 9, tzinfo=UTC))
    signed, already = signoff.sign_off_weeks(premises, weeks, "ok", Actor(manager), today)
    assert [(s.week_start, s.entries) for s in signed] == [
        (date(2026, 11, 9), 0), (date(2026, 11, 16), 1)] and already == []
    signed, already = signoff.sign_off_weeks(
        premises, [date(2026, 11, 16), date(2026, 11, 2)], None, Actor(manager), today)
    assert [s.week_start for s in signed] == [date(2026, 11, 2)]
    assert already == [date(2026, 11, 16)]
    assert len(db.session.scalars(select(RefusalSignOff)).all()) == 3
    with pytest.raises(signoff.InvalidWeek):
        signoff.sign_off_weeks(premises, [date(2026, 11, 30)], None, Actor(manager), today)


def test_week_entries_are_the_current_versions_per_week(shop, count_queries):
    premises, staff, _manager = shop
    first = RefusalFactory(premises=premises, recorded_by=staff, product="Axe",
                           occurred_at=datetime(2026, 11, 17, 9, tzinfo=UTC))
    RefusalFactory(premises=premises, recorded_by=staff, product="Hatchet",
                   corrects_id=first.id, occurred_at=datetime(2026, 11, 17, 9, tzinfo=UTC))
    RefusalFactory(premises=premises, recorded_by=staff, product="Cleaver",
                   occurred_at=datetime(2026, 11, 22, 23, 30, tzinfo=UTC))  # Sunday, UK
    RefusalFactory(premises=premises, recorded_by=staff, product="Saw",
                   occurred_at=datetime(2026, 11, 10, 9, tzinfo=UTC))
    premises_id = premises.id
    db.session.expire_all()
    with count_queries() as counter:
        found = signoff.week_entries(premises_id, [date(2026, 11, 16), date(2026, 11, 2)])
        names = {w: [(r.product, r.recorded_by.name) for r in rs] for w, rs in found.items()}
    assert counter["n"] == 2
    assert names == {date(2026, 11, 16): [("Hatchet", staff.name), ("Cleaver", staff.name)],
                     date(2026, 11, 2): []}
