"""Send one reminder once: the row in `reminders_sent` is written first, and the database's
unique (recipient, cause) constraint refuses a second one."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from compliance.extensions import db
from compliance.mail import Email, Mailer
from compliance.models import ReminderSent, User
from compliance.models.base import utcnow

PRELOAD_DAYS = 120


class Outbox:
    """Reminders for one run: knows what was sent before, so most repeats cost no query."""

    def __init__(self, mailer: Mailer, now: datetime | None = None) -> None:
        self.mailer = mailer
        self.now = now or utcnow()
        # Only recent ones: an older repeat is still refused by the database constraint.
        self.sent = set(db.session.execute(
            select(ReminderSent.user_id, ReminderSent.cause_key)
            .where(ReminderSent.sent_at >= self.now - timedelta(days=PRELOAD_DAYS))).all())
        self.counts: dict[str, int] = {}

    def send(self, user: User, cause_key: str, subject: str, body: str) -> bool:
        """Email `user` about `cause_key` unless they have had that reminder already."""
        if (user.id, cause_key) in self.sent:
            return False
        if not send_once(self.mailer, user, cause_key, subject, body, self.now):
            return False
        self.sent.add((user.id, cause_key))
        kind = cause_key.split(":", 1)[0]
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return True


def send_once(mailer: Mailer, user: User, cause_key: str, subject: str, body: str,
              now: datetime | None = None) -> bool:
    """Record, then send; False (and nothing sent) if this reminder went out before."""
    try:
        with db.session.begin_nested():
            db.session.add(ReminderSent(user_id=user.id, cause_key=cause_key,
                                        subject=subject[:200], sent_at=now or utcnow()))
    except IntegrityError:
        return False
    mailer.send(Email(to=user.email, subject=subject,
                      body=f"Hello {user.name},\n\n{body}\n\nKnife Sales Compliance\n"))
    return True
