"""What the daily run reminds people of, and the run itself (which also expires certificates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from compliance.audit import Actor
from compliance.certificates.queries import expire_certificates
from compliance.extensions import db
from compliance.mail import Mailer
from compliance.models import FollowUp, Premises, Role, TrainingCompletion, User, Visit
from compliance.models.base import utcnow
from compliance.reminders.sending import Outbox
from compliance.todo.items import day
from compliance.todo.managers import follow_up_cause, register_cause, unsigned_weeks
from compliance.todo.officers import review_cause
from compliance.todo.staff import training_cause
from compliance.urls import public_url

FOLLOW_UP_NOTICE_DAYS = 7


@dataclass
class ReminderReport:
    expired: int = 0
    certificate_reminders: int = 0
    status_changes: int = 0
    sent: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        total = self.certificate_reminders + sum(self.sent.values())
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.sent.items()))
        return (f"{self.expired} certificates marked expired, {total} reminders sent"
                f"{f' ({kinds})' if kinds else ''}, {self.status_changes} premises certificates "
                "changed status")


def send_reminders(mailer: Mailer, actor: Actor, now: datetime | None = None) -> ReminderReport:
    """The daily run: expire certificates, then send every reminder not sent before."""
    now = now or utcnow()
    # Staff certificates expire with the training; the training reminder below covers them.
    expiry = expire_certificates(mailer, actor, now, remind_staff=False)
    outbox = Outbox(mailer, now)
    managers = _managers()
    _register_weeks(outbox, managers)
    _follow_ups_due(outbox, managers, now)
    _training_expiring(outbox, managers, now)
    _follow_ups_to_review(outbox)
    db.session.flush()
    return ReminderReport(expiry.expired, expiry.reminded, expiry.status_changes, outbox.counts)


def _managers() -> dict[int, list[User]]:
    result: dict[int, list[User]] = {}
    for m in db.session.scalars(select(User).where(User.role == Role.MANAGER, User.active,
                                                   User.retailer_id.is_not(None))
                                .order_by(User.id)):
        result.setdefault(m.retailer_id or 0, []).append(m)
    return result


def _register_weeks(outbox: Outbox, managers: dict[int, list[User]]) -> None:
    premises = list(db.session.scalars(select(Premises).where(
        Premises.retailer_id.in_(list(managers))).order_by(Premises.id)))
    unsigned = unsigned_weeks(premises)
    for p in premises:
        weeks = unsigned[p.id]
        if not weeks:
            continue
        link = public_url("refusals.sign_off_several", premises_id=p.id)
        listed = "\n".join(f"- week beginning {day(w)}" for w in weeks)
        for manager in managers.get(p.retailer_id, []):
            outbox.send(manager, register_cause(p.id, weeks[-1]),
                        f"Sign off the refusals register for {p.name}",
                        f"These weeks of the refusals register for {p.name} are not signed "
                        f"off yet:\n\n{listed}\n\nCheck the entries and sign them off here:\n"
                        f"{link}")


def _follow_ups_due(outbox: Outbox, managers: dict[int, list[User]], now: datetime) -> None:
    soon = now.date() + timedelta(days=FOLLOW_UP_NOTICE_DAYS)
    due = db.session.scalars(
        select(FollowUp).join(Visit, FollowUp.visit_id == Visit.id)
        .options(joinedload(FollowUp.premises))
        .where(Visit.status == "submitted", FollowUp.status.in_(("open", "returned")),
               FollowUp.due_on <= soon).order_by(FollowUp.due_on, FollowUp.id))
    for f in due:
        when = "was due" if f.due_on < now.date() else "is due"
        for manager in managers.get(f.premises.retailer_id, []):
            outbox.send(manager, follow_up_cause(f),
                        f"Follow-up for {f.premises.name} {when} on {day(f.due_on)}",
                        f"An officer asked {f.premises.name} to:\n\n{f.action}\n\nIt {when} on "
                        f"{day(f.due_on)}. Answer it here:\n"
                        f"{public_url('followups.follow_up', follow_up_id=f.id)}")


def _training_expiring(outbox: Outbox, managers: dict[int, list[User]], now: datetime) -> None:
    days = int(current_app.config["TRAINING_EXPIRY_WARNING_DAYS"])
    newest = (select(TrainingCompletion.user_id,
                     func.max(TrainingCompletion.completed_at).label("at"))
              .group_by(TrainingCompletion.user_id).subquery())
    rows = db.session.execute(
        select(TrainingCompletion, User)
        .join(newest, (TrainingCompletion.user_id == newest.c.user_id)
              & (TrainingCompletion.completed_at == newest.c.at))
        .join(User, User.id == TrainingCompletion.user_id)
        .where(User.active, User.role.in_((Role.STAFF, Role.MANAGER)),
               TrainingCompletion.expires_at > now,
               TrainingCompletion.expires_at <= now + timedelta(days=days))).all()
    link = public_url("training.index")
    for completion, person in rows:
        expires = day(completion.expires_at)
        cause = training_cause(completion.id)
        outbox.send(person, cause, f"Your knife-sales training expires on {expires}",
                    f"Your responsible knife-sales training, and its certificate, expire on "
                    f"{expires}. Read the modules again and pass the quiz before then to stay "
                    f"trained:\n{link}")
        for manager in managers.get(person.retailer_id or 0, []):
            if manager.id != person.id:
                outbox.send(manager, cause, f"{person.name}'s training expires on {expires}",
                            f"The knife-sales training of {person.name} expires on {expires}. "
                            f"Ask them to renew it before then. Your training matrix:\n"
                            f"{public_url('training.matrix')}")


def _follow_ups_to_review(outbox: Outbox) -> None:
    rows = db.session.execute(
        select(FollowUp, User).join(Visit, FollowUp.visit_id == Visit.id)
        .join(User, User.id == Visit.officer_id).options(joinedload(FollowUp.premises))
        .where(FollowUp.status == "answered", User.active, User.role == Role.OFFICER)
        .order_by(FollowUp.id)).all()
    for f, officer in rows:
        outbox.send(officer, review_cause(f), f"{f.premises.name} has answered a follow-up",
                    f"{f.premises.name} has answered the follow-up you raised:\n\n{f.action}\n\n"
                    f"Review it, then close it or return it to the shop:\n"
                    f"{public_url('followups.follow_up', follow_up_id=f.id)}")
