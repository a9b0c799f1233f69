"""An admin's to-dos: accounts waiting, recent audit events that need a look, background jobs
that failed, and guidance modules past their review date (a fixed number of queries)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import select

from compliance.admin.services import SETUP_LINK_HOURS, action_words
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.i18n import ngettext
from compliance.jobs.services import dead_jobs
from compliance.models import AuditEvent, Role, User
from compliance.models.base import utcnow
from compliance.todo.items import DUE, INFO, OVERDUE, ToDo, day
from compliance.training.services import module_reviews

# Events an administrator should look at: lockouts, certificates pulled, bulk changes.
NOTABLE = ("account_locked", "certificate_revoked", "certificate_suspended",
           "questions_imported", "checklist_item_edited", "question_retired",
           "visit_notes_exported")
AUDIT_DAYS = 7
AUDIT_SHOWN = 10


def items(user: User) -> list[ToDo]:
    now = utcnow()
    result: list[ToDo] = []
    group = _("Accounts")
    waiting = db.session.scalars(select(User).where(
        User.role.in_((Role.OFFICER, Role.ADMIN)), User.active, User.last_sign_in_at.is_(None))
        .order_by(User.created_at).limit(20))
    for person in waiting:
        expired = person.created_at + timedelta(hours=SETUP_LINK_HOURS) <= now
        result.append(ToDo(
            "account-waiting", _("%(name)s has not set up their account", name=person.name),
            (_("Their set-up link has expired: create the account again or ask them to reset "
               "their password.") if expired else
             _("Created %(day)s; the set-up link is waiting to be used.",
               day=day(person.created_at))),
            url_for("admin.users", role=person.role.value), OVERDUE if expired else DUE, group))
    locked = db.session.scalars(select(User).where(User.locked_until > now).order_by(User.name)
                                .limit(20))
    for person in locked:
        result.append(ToDo("account-locked", _("%(name)s's account is locked", name=person.name),
                           _("Too many failed sign-ins; it unlocks by itself."),
                           url_for("admin.user_status", user_id=person.id), INFO, group))
    group = _("Recent events to check")
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.in_(NOTABLE), AuditEvent.at >= now - timedelta(days=AUDIT_DAYS))
        .order_by(AuditEvent.at.desc()).limit(AUDIT_SHOWN))
    for event in events:
        result.append(ToDo("audit", action_words(event.action),
                           f"{event.summary} ({day(event.at)})",
                           url_for("admin.audit_log", action=event.action), INFO, group))
    group = _("Background jobs")
    dead = dead_jobs()
    if dead:
        result.append(ToDo("jobs-dead", ngettext(
            "%(num)s background job failed", "%(num)s background jobs failed", dead),
            _("Every attempt failed (a certificate's PDF, an email or an export waits on it). "
              "See why, mend the cause and run it again."),
            url_for("jobs.index"), OVERDUE, group))
    group = _("Guidance content")
    reviews = module_reviews(now.date(), int(current_app.config["CONTENT_REVIEW_DAYS"]))
    for review in (r for r in reviews if r.overdue):
        result.append(ToDo("content-review", _("Review “%(title)s”", title=review.module.title),
                           _("Its review was due on %(day)s.", day=day(review.due)),
                           url_for("admin.content_reviews"), OVERDUE, group, review.due))
    return result
