"""A register that can be reviewed: bounded entry times, recording audited, sign-off pages that
show the entries, and several weeks signed at once (each its own row, never twice)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from compliance.extensions import db
from compliance.models import AuditEvent, Refusal, RefusalSignOff, Role
from compliance.models.base import utcnow
from compliance.refusals.clock import monday_of, to_uk, uk_today
from tests.factories import PremisesFactory, RefusalFactory, UserFactory
from tests.functional.refusals.test_routes import local, url


@pytest.fixture
def shop():
    premises = PremisesFactory(name="Corner Hardware",
                               created_at=utcnow() - timedelta(days=200))
    retailer = premises.retailer
    return {
        "premises": premises,
        "manager": UserFactory(role=Role.MANAGER, retailer=retailer, name="Mo Manager"),
        "staff": UserFactory(role=Role.STAFF, retailer=retailer, premises=premises,
                             name="Sid Staff"),
    }


def post_refusal(client, premises, staff, when: datetime | dict, **extra):
    fields = when if isinstance(when, dict) else local(when)
    return client.post(url(premises, "new"), data={
        **fields, "product": "Axe", "reason": "no_id", "refused_by": staff.id, **extra})


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_entry_times_are_bounded_with_clear_messages(app, client, login_as, shop, monkeypatch):
    premises, staff = shop["premises"], login_as(shop["staff"])
    future = post_refusal(client, premises, staff, utcnow() + timedelta(days=1))
    assert future.status_code == 200
    assert "The date and time of the refusal must be in the past" in future.text
    assert 'href="#occurred_at' in future.text  # the error summary points at the date
    # Not 91 days: at 23:30 UTC in winter, 91 days back is 00:30 BST of the 90th day.
    too_old = post_refusal(client, premises, staff, utcnow() - timedelta(days=93))
    earliest = uk_today() - timedelta(days=90)
    assert (f"Date of the refusal must be the same as or after {earliest.day} "
            f"{earliest:%B %Y}: refusals can be recorded up to 90 days after they happen"
            ) in too_old.text
    monkeypatch.setitem(app.config, "REFUSAL_MAX_DAYS_BACK", 365)
    joined = to_uk(premises.created_at)
    before = post_refusal(client, premises, staff, premises.created_at - timedelta(days=2))
    assert (f"Date of the refusal must be the same as or after {joined.day} {joined:%B %Y}, "
            "when Corner Hardware joined the service") in before.text
    assert count(Refusal) == 0
    ok = post_refusal(client, premises, staff, utcnow() - timedelta(days=150))
    assert ok.status_code == 302 and count(Refusal) == 1


def test_garbage_and_blank_times_are_messages_not_errors(client, login_as, shop):
    premises, staff = shop["premises"], login_as(shop["staff"])
    for fields, message in [
        ({"occurred_at": "   \t "}, "Enter the date and time of the refusal"),
        ({"occurred_at": ["", "", ""], "occurred_time": "14:30"}, "Enter the date of the refusal"),
        ({"occurred_at": ["x", "\x00", "²"], "occurred_time": "14:30"},
         "Date of the refusal must be a real date"),
        ({"occurred_at": ["1", "2"], "occurred_time": "14:30"},
         "Date of the refusal must be a real date"),
        ({**local(utcnow()), "occurred_time": "noon"},
         "Enter the time in the 24-hour clock, like 14:30"),
        ({**local(utcnow()), "occurred_time": "   "}, "Enter the time of the refusal"),
    ]:
        response = post_refusal(client, premises, staff, fields)
        assert response.status_code == 200, fields
        assert message in response.text, fields
    assert count(Refusal) == 0


def test_recording_an_entry_is_audited(client, login_as, shop):
    premises, staff = shop["premises"], login_as(shop["staff"])
    post_refusal(client, premises, staff, utcnow() - timedelta(minutes=10))
    entry = db.session.scalar(select(Refusal))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "refusal_recorded"))
    assert (event.actor_id, event.target_type, event.target_id, event.details) == (
        staff.id, "Refusal", entry.id, {"premises_id": premises.id})
    assert event.summary == f"Recorded refusals register entry {entry.id} at Corner Hardware"


def test_an_old_entry_can_still_be_corrected_at_its_own_time(client, login_as, shop):
    premises, staff = shop["premises"], login_as(shop["staff"])
    old = RefusalFactory(premises=premises, recorded_by=staff,
                         occurred_at=(utcnow() - timedelta(days=120)).replace(second=0,
                                                                               microsecond=0))
    saved = client.post(url(premises, f"{old.id}/correct"), data={
        **local(old.occurred_at), "product": "Hatchet", "reason": "no_id",
        "refused_by": staff.id, "correction_reason": "It was a hatchet"})
    assert saved.status_code == 302
    assert db.session.scalar(select(Refusal).where(Refusal.corrects_id == old.id)).occurred_at \
        == old.occurred_at


def test_the_week_page_shows_the_entries_being_signed(client, login_as, shop):
    premises, staff = shop["premises"], shop["staff"]
    this_week = monday_of(uk_today())
    when = datetime.combine(this_week, datetime.min.time(), UTC) + timedelta(hours=9)
    RefusalFactory(premises=premises, recorded_by=staff, product="Cleaver",
                   reason="proxy", occurred_at=when)
    login_as(shop["manager"])
    page = client.get(url(premises, f"weeks/{this_week}/sign-off"))
    local_when = to_uk(when)
    assert f"{local_when.day} {local_when:%B %Y, %H:%M}" in page.text
    for text in ("Cleaver", "Suspected proxy purchase", "Sid Staff", "1 refusal recorded."):
        assert text in page.text


def test_manager_signs_several_weeks_at_once_each_recorded(client, login_as, shop):
    premises, staff = shop["premises"], shop["staff"]
    this_week = monday_of(uk_today())
    weeks = [this_week - timedelta(weeks=n) for n in (1, 2, 3)]
    for n, week in enumerate(weeks):
        RefusalFactory(premises=premises, recorded_by=staff, product=f"Knife {n}",
                       occurred_at=datetime.combine(week, datetime.min.time(), UTC)
                       + timedelta(days=2, hours=10))
    manager = login_as(shop["manager"])
    register = client.get(url(premises))
    assert url(premises, "weeks/sign-off") in register.text
    review = client.get(url(premises, "weeks/sign-off"))
    for n, week in enumerate(weeks):
        assert f'value="{week.isoformat()}"' in review.text  # a checkbox per week
        assert f"Knife {n}" in review.text
    assert "Which weeks are you signing off?</legend>" in "".join(
        line.strip() for line in review.text.splitlines())
    nothing = client.post(url(premises, "weeks/sign-off"), data={"note": "x" * 501})
    assert nothing.status_code == 200 and "Select the weeks you are signing off" in nothing.text
    summary = nothing.text.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'href="#([^"]+)"', summary) == ["weeks", "note"]  # page order
    ticked = [weeks[0].isoformat(), weeks[2].isoformat()]
    done = client.post(url(premises, "weeks/sign-off"),
                       data={"weeks": ticked, "note": "All fine"}, follow_redirects=True)
    assert "2 weeks signed off" in done.text
    rows = db.session.scalars(select(RefusalSignOff).order_by(RefusalSignOff.week_start)).all()
    assert [(r.week_start, r.entries, r.note, r.signed_by_id) for r in rows] == [
        (weeks[2], 1, "All fine", manager.id), (weeks[0], 1, "All fine", manager.id)]
    assert db.session.scalar(select(func.count()).where(
        AuditEvent.action == "refusals_week_signed_off")) == 2
    again = client.post(url(premises, "weeks/sign-off"),
                        data={"weeks": ticked, "note": "All fine"}, follow_redirects=True)
    assert again.status_code == 200
    assert "2 weeks had already been signed off" in again.text
    assert count(RefusalSignOff) == 2
    left = client.get(url(premises, "weeks/sign-off"))
    assert f'value="{weeks[1].isoformat()}"' in left.text
    assert f'value="{weeks[0].isoformat()}"' not in left.text


@pytest.mark.parametrize("value", ["not-a-date", "", "2026-13-01", "²"])
def test_hostile_week_values_are_a_message(client, login_as, shop, value):
    login_as(shop["manager"])
    response = client.post(url(shop["premises"], "weeks/sign-off"), data={"weeks": value})
    assert response.status_code == 200
    assert "Select the weeks you are signing off" in response.text
    assert count(RefusalSignOff) == 0


def test_a_week_not_started_or_not_a_monday_is_refused(client, login_as, shop):
    login_as(shop["manager"])
    this_week = monday_of(uk_today())
    for week in (this_week + timedelta(weeks=1), this_week + timedelta(days=1)):
        response = client.post(url(shop["premises"], "weeks/sign-off"),
                               data={"weeks": week.isoformat()})
        assert response.status_code == 200
        assert "Select the weeks you are signing off" in response.text
    assert count(RefusalSignOff) == 0


def test_only_the_business_managers_sign_off(client, login_as, shop):
    login_as(shop["staff"])
    assert client.get(url(shop["premises"], "weeks/sign-off")).status_code == 403
    login_as(UserFactory(role=Role.MANAGER, retailer=PremisesFactory().retailer))
    assert client.post(url(shop["premises"], "weeks/sign-off"),
                       data={"weeks": monday_of(uk_today()).isoformat()}).status_code == 403
    assert count(RefusalSignOff) == 0


def test_nul_characters_never_reach_the_database(client, login_as, shop):
    """PostgreSQL refuses NUL in text: a hostile form is saved without them, not a 500."""
    premises, staff = shop["premises"], login_as(shop["staff"])
    saved = post_refusal(client, premises, staff, utcnow() - timedelta(minutes=5),
                         product="Axe\x00", description="\x00Tall")
    assert saved.status_code == 302
    entry = db.session.scalar(select(Refusal))
    assert (entry.product, entry.description) == ("Axe", "Tall")
    login_as(shop["manager"])
    week = monday_of(uk_today())
    for path, data in ((f"weeks/{week}/sign-off", {"note": "a\x00b"}),
                       ("weeks/sign-off", {"weeks": (week - timedelta(weeks=1)).isoformat(),
                                           "note": "c\x00d"})):
        assert client.post(url(premises, path), data=data).status_code == 302
    assert sorted(db.session.scalars(select(RefusalSignOff.note))) == ["ab", "cd"]


def test_the_refusal_form_s_error_summary_follows_the_page(client, login_as, shop):
    premises = shop["premises"]
    login_as(shop["staff"])
    page = client.post(url(premises, "new"), data={
        "occurred_at": ["1", "1", "x"], "occurred_time": "", "description": "x" * 501}).text
    summary = page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    form = page.split('<form method="post" novalidate', 1)[1]
    assert targets[:2] == ["occurred_at", "occurred_time"] and len(targets) >= 4
    assert targets == sorted(targets, key=lambda i: form.index(f'id="{i}'))
