"""A manager's home page: per premises, what is due and overdue, and chasing staff."""

from datetime import timedelta

import pytest

from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Assessment, ReminderSent, Role
from compliance.models.base import utcnow
from compliance.refusals import signoff
from compliance.todo.managers import unsigned_weeks
from tests.factories import PremisesFactory, RefusalFactory, RetailerFactory, UserFactory
from tests.functional.todo.helpers import completion_for, todo_titles
from tests.visit_factories import FollowUpFactory, VisitFactory


@pytest.fixture
def shop():
    premises = PremisesFactory(name="High Street", created_at=utcnow() - timedelta(weeks=4))
    manager = UserFactory(role=Role.MANAGER, retailer=premises.retailer, name="Mo Manager")
    staff = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises,
                        name="Sam Staff")
    return premises, manager, staff


def test_register_weeks_to_sign_off_until_signed(client, login_as, shop):
    premises, manager, _staff = shop
    login_as(manager)
    weeks = unsigned_weeks([premises])[premises.id]
    assert len(weeks) >= 4 and weeks == sorted(weeks)
    page = todo_titles(client.get("/"))
    assert f"Sign off {len(weeks)} weeks of the refusals register" in page and "Overdue" in page
    assert f'/premises/{premises.id}/refusals/weeks/sign-off' in page
    signoff.sign_off_weeks(premises, weeks, None, Actor(manager))
    page = todo_titles(client.get("/"))
    assert "weeks of the refusals register" not in page
    assert "Refusals register signed off" in page


def test_register_weeks_start_at_registration_or_an_earlier_entry(shop, count_queries):
    """Only premises registered within the weeks shown need their first entry looked up."""
    premises, _manager, staff = shop
    old = PremisesFactory(retailer=premises.retailer, created_at=utcnow() - timedelta(weeks=60))
    for where, weeks_ago in ((premises, 7), (old, 30)):
        RefusalFactory(premises=where, recorded_by=staff,
                       occurred_at=utcnow() - timedelta(weeks=weeks_ago))
    db.session.flush()
    with count_queries() as counter:
        weeks = unsigned_weeks([premises, old])
    assert len(weeks[premises.id]) in (7, 8)  # from the entry's week, not registration's
    assert len(weeks[old.id]) == signoff.WEEKS_SHOWN - 1  # every finished week shown
    assert counter["n"] == 2
    with count_queries() as counter:
        unsigned_weeks([old])
    assert counter["n"] == 1


def test_follow_up_waiting_for_an_answer_until_answered(client, login_as, shop):
    from compliance.followups import services as followups

    premises, manager, _staff = shop
    follow_up = FollowUpFactory(visit=VisitFactory(premises=premises),
                                due_on=utcnow().date() - timedelta(days=1))
    FollowUpFactory(visit=VisitFactory(premises=PremisesFactory()))  # another business's
    login_as(manager)
    page = todo_titles(client.get("/"))
    assert f"Answer the follow-up: {follow_up.action}" in page
    assert page.count("Answer the follow-up") == 1
    assert f"/visits/follow-ups/{follow_up.id}" in page
    followups.respond(follow_up, "Sign is up", Actor(manager), mail=None)
    assert "Answer the follow-up" not in todo_titles(client.get("/"))


def test_untrained_and_expiring_staff_until_trained(client, login_as, shop):
    premises, manager, staff = shop
    other = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises,
                        name="Kim Expiring")
    completion_for(other, days_left=10)
    login_as(manager)
    page = todo_titles(client.get("/"))
    assert "Sam Staff is not trained" in page
    assert "Kim Expiring's training expires on" in page
    completion_for(staff, days_left=365)
    completion_for(other, days_left=365)
    page = todo_titles(client.get("/"))
    assert "Sam Staff is not trained" not in page and "Kim Expiring's training" not in page


def test_self_assessment_and_certificate_status(client, login_as, shop):
    premises, manager, _staff = shop
    login_as(manager)
    page = todo_titles(client.get("/"))
    assert "Do your first self-assessment" in page
    assert "No verified premises certificate" in page
    assessment = Assessment(premises_id=premises.id, status="submitted", started_by_id=manager.id,
                            submitted_by_id=manager.id, submitted_at=utcnow(), points_met=2,
                            points_applicable=3, score_percent=66, rating="amber",
                            next_due_at=utcnow() + timedelta(days=90),
                            declaration_name=manager.name)
    db.session.add(assessment)
    db.session.flush()
    page = todo_titles(client.get("/"))
    assert "Do your first self-assessment" not in page
    assert "Work through the self-assessment action plan" in page and "rated Amber (66%)" in page
    assessment.rating, assessment.next_due_at = "green", utcnow() - timedelta(days=1)
    db.session.flush()
    assert "Do your self-assessment again" in todo_titles(client.get("/"))


def test_chasing_a_member_of_staff_emails_them_once_a_day(client, login_as, shop, outbox):
    _premises, manager, staff = shop
    login_as(manager)
    outbox.clear()
    response = client.post(f"/to-do/staff/{staff.id}/chase", follow_redirects=True)
    assert response.status_code == 200
    assert [e.to for e in outbox] == [staff.email]
    assert "finish your knife-sales training" in outbox[0].subject
    assert "https://" in outbox[0].body and "/training/" in outbox[0].body
    page = todo_titles(response)
    assert "We have emailed Sam Staff a reminder" in page
    assert "You emailed them a reminder on" in page
    again = client.post(f"/to-do/staff/{staff.id}/chase", follow_redirects=True)
    assert "already been reminded today" in todo_titles(again) and len(outbox) == 1
    assert db.session.query(ReminderSent).filter_by(user_id=staff.id).count() == 1


def test_chasing_is_only_for_the_business_own_staff(client, login_as, shop, people):
    _premises, _manager, staff = shop
    login_as(people["manager"])
    assert client.post(f"/to-do/staff/{staff.id}/chase").status_code == 403
    login_as(people["staff"])
    assert client.post(f"/to-do/staff/{staff.id}/chase").status_code in (302, 403)
    login_as(people["manager"])
    assert client.post("/to-do/staff/999999/chase").status_code == 404


def test_manager_with_nothing_due_sees_what_to_do_next(client, login_as):
    manager = login_as(UserFactory(role=Role.MANAGER, retailer=RetailerFactory()))
    page = todo_titles(client.get("/"))
    assert "Nothing to do yet. Start by adding your premises" in page
    assert f"/businesses/{manager.retailer_id}/premises/new" in page


def test_premises_certificate_status_is_shown(client, login_as, shop):
    from compliance.models import Certificate

    premises, manager, _staff = shop
    cert = Certificate(code="KSC-2345-6789-HOME", kind="premises", retailer_id=premises.retailer_id,
                       premises_id=premises.id, holder_name=premises.name,
                       business_name=premises.retailer.name, issued_at=utcnow(),
                       expires_at=utcnow() + timedelta(days=300), pdf=b"%PDF-1.7 x",
                       sha256="0" * 64)
    db.session.add(cert)
    db.session.flush()
    login_as(manager)
    page = todo_titles(client.get("/"))
    # No self-assessment and an untrained member of staff: the conditions are not met.
    assert f"Premises certificate {cert.code} is suspended" in page
    assert "No self-assessment has been submitted" in page
    cert.expires_at = utcnow() - timedelta(days=1)
    db.session.flush()
    assert f"Premises certificate {cert.code} has expired" in todo_titles(client.get("/"))


def test_a_large_business_gets_its_premises_to_dos_a_page_at_a_time(app, client, login_as,
                                                                     monkeypatch):
    monkeypatch.setitem(app.config, "HOME_PREMISES_PER_PAGE", 3)
    retailer = RetailerFactory()
    shops = [PremisesFactory(retailer=retailer, name=f"Shop {n:02d}") for n in range(1, 8)]
    for shop_ in shops:
        UserFactory(role=Role.STAFF, retailer=retailer, premises=shop_,
                    name=f"Staff at {shop_.name}")
    login_as(UserFactory(role=Role.MANAGER, retailer=retailer))
    first = client.get("/").get_data(as_text=True)
    assert "To-dos for premises 1 to 3 of 7" in first
    assert all(f"Staff at Shop 0{n} is not trained" in first for n in (1, 2, 3))
    assert "Shop 04" not in first and 'href="/?page=2"' in first
    last = client.get("/?page=3").get_data(as_text=True)
    assert "To-dos for premises 7 to 7 of 7" in last and "Staff at Shop 07 is not trained" in last
    assert "Shop 01" not in last


def test_the_page_of_premises_is_queried_once(app, client, login_as, count_queries,
                                              monkeypatch):
    """The to-dos and the pager share one page of premises (it was selected and counted
    twice: once for the to-dos, once for the pager)."""
    monkeypatch.setitem(app.config, "HOME_PREMISES_PER_PAGE", 3)
    retailer = RetailerFactory()
    for n in range(5):
        PremisesFactory(retailer=retailer, name=f"Shop {n}")
    login_as(UserFactory(role=Role.MANAGER, retailer=retailer))
    with count_queries() as counter:
        page = client.get("/?page=2").get_data(as_text=True)
    assert "To-dos for premises 4 to 5 of 5" in page
    from_premises = [s for s in counter["statements"]
                     if " ".join(s.split()).split(" WHERE ")[0].endswith("FROM premises")]
    assert len(from_premises) == 1, "\n---\n".join(from_premises)  # the rows with their total


def test_only_the_reminders_about_the_items_shown_are_read(app, client, login_as, monkeypatch):
    """A manager of many shops is sent a reminder a week for each register: the home page
    reads those about the page's items, not every one ever sent."""
    from sqlalchemy import event

    from compliance.todo.managers import register_cause

    monkeypatch.setitem(app.config, "HOME_PREMISES_PER_PAGE", 1)
    retailer = RetailerFactory()
    shops = [PremisesFactory(retailer=retailer, name=name,
                             created_at=utcnow() - timedelta(weeks=4)) for name in ("A", "B")]
    manager = login_as(UserFactory(role=Role.MANAGER, retailer=retailer))
    causes = {}
    for shop_ in shops:
        causes[shop_.name] = register_cause(shop_.id, unsigned_weeks([shop_])[shop_.id][-1])
        db.session.add(ReminderSent(user_id=manager.id, cause_key=causes[shop_.name],
                                    subject="Sign off the register", sent_at=utcnow()))
    db.session.flush()
    asked: list = []

    def before(_conn, _cursor, statement, parameters, *_args):
        if "reminders_sent.cause_key IN" in statement:
            asked.append(str(parameters))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        page = todo_titles(client.get("/"))
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert "We emailed you about this on" in page  # shop A's register week
    assert len(asked) == 1 and causes["A"] in asked[0] and causes["B"] not in asked[0]
