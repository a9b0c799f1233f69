"""A manager's reminder to one member of staff: at most one a day, recorded like the daily
reminders so that the home page can say when it was sent."""

from __future__ import annotations

from compliance.mail import Mailer
from compliance.models import User
from compliance.models.base import utcnow
from compliance.refusals.clock import uk_today
from compliance.reminders.sending import send_once
from compliance.todo.managers import chase_cause
from compliance.urls import public_url


def chase_training(member: User, *, manager: User, mailer: Mailer) -> bool:
    """Email `member` to finish or renew their training; False if already done today."""
    return send_once(
        mailer, member, chase_cause(member.id, uk_today()),
        "Please finish your knife-sales training",
        f"{manager.name} has asked you to finish your responsible knife-sales training (or "
        "renew it before it runs out). Read the guidance modules and pass the quiz here:\n"
        f"{public_url('training.index')}",
        utcnow())
