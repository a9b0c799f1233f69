"""Emails about follow-ups: the shop's managers hear when one reaches them (raised on a
submitted visit, or the visit submitted) and when the officer returns it; the officer who
raised it hears when the shop answers.

They carry only what the shop sees on the follow-up page: never the visit's officer-only
notes or anything about the test purchase's volunteer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from compliance.extensions import db
from compliance.mail import Email, Mailer
from compliance.models import FollowUp, Premises, Retailer, Role, User

SIGN_IN = "You will need to sign in to Knife Sales Compliance."


@dataclass(frozen=True)
class FollowUpMail:
    """How the emails go out: the mailer, and the full address of a follow-up's page."""

    mailer: Mailer
    link_for: Callable[[int], str]  # a follow-up's id -> its page, built by the view


def managers_of(premises: Premises) -> list[User]:
    """The active managers of the shop's business, in one query (none while unclaimed)."""
    return list(db.session.scalars(
        select(User).join(Retailer, User.retailer_id == Retailer.id)
        .where(User.retailer_id == premises.retailer_id, User.role == Role.MANAGER,
               User.active.is_(True), Retailer.claimed.is_(True))
        .order_by(User.id)))


def send_raised(mail: FollowUpMail, premises: Premises, follow_ups: Iterable[FollowUp]) -> None:
    """Tell the managers what the officer has asked the shop to do, and by when."""
    for item in follow_ups:
        evidence = (f"Evidence the officer wants to see: {item.evidence_wanted}\n\n"
                    if item.evidence_wanted else "")
        _tell_managers(mail, premises, item,
                       f"Action needed at {premises.name} by {due_date(item.due_on)}",
                       f"After an officer's visit to {premises.name}, your business has been "
                       f"asked to do this by {due_date(item.due_on)}:\n\n{item.action}\n\n"
                       f"{evidence}Tell the officer what you have done on the follow-up page.")


def send_returned(mail: FollowUpMail, premises: Premises, item: FollowUp) -> None:
    """Tell the managers the officer wants more, with the officer's note to the shop."""
    note = f"The officer's note:\n\n{item.officer_note}\n\n" if item.officer_note else ""
    _tell_managers(mail, premises, item, f"Follow-up returned: {premises.name}",
                   f"The officer has read your answer to this follow-up for {premises.name} "
                   f"and returned it to you:\n\n{item.action}\n\n{note}It is due by "
                   f"{due_date(item.due_on)}. Answer it again on the follow-up page.")


def _tell_managers(mail: FollowUpMail, premises: Premises, item: FollowUp, subject: str,
                   message: str) -> None:
    """One email per active manager: greeting, message, how to sign in, the page's link."""
    for manager in managers_of(premises):
        mail.mailer.send(Email(
            to=manager.email, subject=subject,
            body=(f"Hello {manager.name},\n\n{message} {SIGN_IN}\n\n"
                  f"{mail.link_for(item.id)}\n")))


def send_answered(mail: FollowUpMail, premises: Premises, item: FollowUp,
                  answered_by: User | None) -> None:
    """Tell the officer who raised the follow-up that the shop has answered it."""
    officer = db.session.get(User, item.created_by_id)
    if officer is None or not officer.active:  # they have left: colleagues see it listed
        return
    who = f"{answered_by.name} of {premises.name}" if answered_by else premises.name
    mail.mailer.send(Email(
        to=officer.email,
        subject=f"Follow-up answered: {premises.name}",
        body=(f"Hello {officer.name},\n\n{who} has answered the follow-up you raised:\n\n"
              f"{item.action}\n\nTheir answer:\n\n{item.response_note}\n\nClose the "
              f"follow-up, or return it to the shop, on its page:\n\n"
              f"{mail.link_for(item.id)}\n")))


def due_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
