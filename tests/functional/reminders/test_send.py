"""`flask reminders send` against a real SMTP server (aiosmtpd on 127.0.0.1)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from compliance.extensions import db
from compliance.models import ReminderSent, Role
from compliance.models.base import utcnow
from tests.conftest import PUBLIC_BASE_URL
from tests.factories import PremisesFactory, UserFactory
from tests.functional.todo.helpers import completion_for, todo_titles
from tests.smtp import smtp_server
from tests.visit_factories import FollowUpFactory, OfficerFactory, VisitFactory


@pytest.fixture
def smtp_inbox(app):
    """A real SMTP server on a free port, and the app sending mail to it."""
    with smtp_server() as (controller, inbox):
        settings = {"MAIL_BACKEND": "smtp", "MAIL_SMTP_HOST": "127.0.0.1",
                    "MAIL_SMTP_PORT": controller.port, "MAIL_SMTP_STARTTLS": False,
                    "MAIL_SMTP_USERNAME": None, "MAIL_SENDER": "reminders@example.com"}
        original = {k: app.config.get(k) for k in settings}
        app.config.update(settings)
        app.extensions.pop("mailer", None)
        try:
            yield inbox
        finally:
            app.config.update(original)
            app.extensions.pop("mailer", None)


@pytest.fixture
def causes():
    premises = PremisesFactory(name="High Street", created_at=utcnow() - timedelta(weeks=3))
    manager = UserFactory(role=Role.MANAGER, retailer=premises.retailer, name="Mo Manager",
                          email="mo@example.com")
    staff = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises,
                        name="Sam Staff", email="sam@example.com")
    completion_for(staff, days_left=10)
    due = FollowUpFactory(visit=VisitFactory(premises=premises),
                          due_on=utcnow().date() + timedelta(days=3))
    officer = OfficerFactory(email="olu@example.com")
    answered = FollowUpFactory(visit=VisitFactory(officer=officer, premises=premises),
                               status="answered", responded_at=utcnow(),
                               due_on=utcnow().date() + timedelta(days=30))
    return {"premises": premises, "manager": manager, "staff": staff, "due": due,
            "officer": officer, "answered": answered}


def _body(message) -> str:
    return message.get_payload(decode=True).decode()


def _subject(message) -> str:
    return " ".join(str(message["Subject"]).split())


def _by_recipient(inbox) -> dict[str, list]:
    result: dict[str, list] = {}
    for message in inbox.messages:
        result.setdefault(message["To"], []).append(message)
    return result


def test_reminders_reach_the_right_people_once(runner, smtp_inbox, causes, client, login_as):
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert "5 reminders sent" in result.output
    mail = _by_recipient(smtp_inbox)
    assert set(mail) == {"mo@example.com", "sam@example.com", "olu@example.com"}
    assert all(m["From"] == "reminders@example.com" for m in smtp_inbox.messages)
    manager = {_subject(m): _body(m) for m in mail["mo@example.com"]}
    premises, due = causes["premises"], causes["due"]
    register = manager["Sign off the refusals register for High Street"]
    assert f"{PUBLIC_BASE_URL}/premises/{premises.id}/refusals/weeks/sign-off" in register
    follow_up = next(b for s, b in manager.items() if s.startswith("Follow-up for High Street"))
    assert f"{PUBLIC_BASE_URL}/visits/follow-ups/{due.id}" in follow_up
    assert due.action in follow_up
    assert "Sam Staff's training expires on" in " ".join(manager)
    (staff_mail,) = mail["sam@example.com"]
    assert _subject(staff_mail).startswith("Your knife-sales training expires on")
    assert f"{PUBLIC_BASE_URL}/training/" in _body(staff_mail)
    (officer_mail,) = mail["olu@example.com"]
    assert _subject(officer_mail) == "High Street has answered a follow-up"
    assert f"/visits/follow-ups/{causes['answered'].id}" in _body(officer_mail)

    again = runner.invoke(args=["reminders", "send"])
    assert again.exit_code == 0 and "0 reminders sent" in again.output
    assert len(smtp_inbox.messages) == 5
    assert db.session.scalar(select(func.count(ReminderSent.id))) == 5

    login_as(causes["manager"])
    page = todo_titles(client.get("/"))
    assert page.count("We emailed you about this on") == 3  # weeks, follow-up, training


def test_a_new_cause_is_reminded_on_the_next_run(runner, smtp_inbox, causes):
    runner.invoke(args=["reminders", "send"])
    causes["answered"].status = "returned"  # the officer sends it back; the shop must answer
    causes["answered"].due_on = utcnow().date() + timedelta(days=2)
    db.session.flush()
    result = runner.invoke(args=["reminders", "send"])
    assert "1 reminders sent" in result.output
    assert smtp_inbox.messages[-1]["To"] == "mo@example.com"
    assert "Follow-up for High Street" in _subject(smtp_inbox.messages[-1])


def test_the_database_refuses_a_second_reminder_for_one_cause(causes):
    manager = causes["manager"]
    db.session.add(ReminderSent(user_id=manager.id, cause_key="x:1", subject="s"))
    db.session.flush()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(ReminderSent(user_id=manager.id, cause_key="x:1", subject="s"))
        db.session.flush()


def test_certificates_expire_still_runs_the_reminders(runner, smtp_inbox, causes):
    result = runner.invoke(args=["certificates", "expire"])
    assert result.exit_code == 0 and "5 reminders sent" in result.output


def test_an_old_reminder_still_counts_through_the_database(runner, smtp_inbox, causes):
    """The run only preloads recent reminders; the unique constraint catches older ones."""
    from compliance.quiz.services import latest_completion
    from compliance.todo.staff import training_cause

    staff = causes["staff"]
    db.session.add(ReminderSent(user_id=staff.id, subject="Earlier",
                                cause_key=training_cause(latest_completion(staff.id).id),
                                sent_at=utcnow() - timedelta(days=200)))
    db.session.flush()
    result = runner.invoke(args=["reminders", "send"])
    assert "4 reminders sent" in result.output
    assert "sam@example.com" not in {m["To"] for m in smtp_inbox.messages}
