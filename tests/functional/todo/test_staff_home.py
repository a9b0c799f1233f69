"""A member of staff's home page: the next step of their training, their certificate."""

from datetime import timedelta

from compliance.extensions import db
from compliance.models import ModuleRead, ReminderSent, Role
from compliance.models.base import utcnow
from tests.factories import PremisesFactory, TrainingModuleFactory, UserFactory
from tests.functional.todo.helpers import completion_for, todo_titles


def _staff():
    premises = PremisesFactory()
    return UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)


def _read(user, module):
    db.session.add(ModuleRead(user_id=user.id, module_slug=module.slug,
                              module_id=module.id))
    db.session.flush()


def test_training_next_step_moves_with_progress(client, login_as):
    first, second = TrainingModuleFactory(), TrainingModuleFactory()
    staff = login_as(_staff())
    page = todo_titles(client.get("/"))
    assert "Start your training" in page and "Read the 2 guidance modules" in page
    assert "No certificate yet" in page and "Record a refusal" in page
    _read(staff, first)
    page = todo_titles(client.get("/"))
    assert "Continue your training" in page and "You have read 1 of 2 modules" in page
    _read(staff, second)
    assert "Take the quiz" in todo_titles(client.get("/"))
    attempt = completion_for(staff, failed_minutes_ago=2)
    page = todo_titles(client.get("/"))
    assert "Retake the quiz after" in page and "Take the quiz" not in page.replace(
        "Retake the quiz", "")
    attempt.submitted_at = utcnow() - timedelta(hours=1)  # the cooling-off time has passed
    db.session.flush()
    assert "Retake the quiz</a>" in client.get("/").get_data(as_text=True)
    completion_for(staff, days_left=300)
    page = todo_titles(client.get("/"))
    assert "Your training is up to date" in page and "Retake" not in page


def test_renewal_shows_the_date_and_the_reminder_sent(client, login_as):
    staff = login_as(_staff())
    completion = completion_for(staff, days_left=20)
    page = todo_titles(client.get("/"))
    expires = completion.expires_at.strftime("%-d %B %Y")
    assert f"Renew your training before {expires}" in page
    assert "We emailed you about this" not in page
    db.session.add(ReminderSent(user_id=staff.id, cause_key=f"training-expiring:{completion.id}",
                                subject="Your training expires", sent_at=utcnow()))
    db.session.flush()
    assert "We emailed you about this on" in todo_titles(client.get("/"))


def test_expired_training_is_overdue(client, login_as):
    TrainingModuleFactory()
    staff = login_as(_staff())
    completion_for(staff, days_left=-3)
    page = todo_titles(client.get("/"))
    assert "Your training expired on" in page and "Overdue" in page


def test_certificate_is_linked_once_issued(client, login_as, app):
    from compliance.audit import Actor
    from compliance.certificates import services
    from compliance.urls import verify_url

    staff = login_as(_staff())
    cert = services.issue_staff_certificate(completion_for(staff), actor=Actor(staff),
                                            verify_url=verify_url)
    page = client.get("/").get_data(as_text=True)
    assert f'href="/certificates/{cert.code}"' in page and "No certificate yet" not in page
    cert.expires_at = utcnow() - timedelta(days=1)
    db.session.flush()
    assert f"Your certificate {cert.code} has expired" in todo_titles(client.get("/"))
