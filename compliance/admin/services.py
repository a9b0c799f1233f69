"""Admin rules: staff accounts for officers and admins, agencies, audit queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from compliance import audit
from compliance.admin.audit_text import action_label
from compliance.audit import Actor
from compliance.auth.passwords import hash_password
from compliance.auth.services import (
    EmailTaken,
    create_reset_token,
    find_user_by_email,
    normalise_email,
)
from compliance.certificates.status import record_changes
from compliance.extensions import db
from compliance.mail import Email, Mailer
from compliance.models import Agency, AgencyKind, AuditEvent, Role, User
from compliance.paging import Page, capped_page
from compliance.tokens import new_token

SETUP_LINK_HOURS = 7 * 24


class AgencyNameTaken(Exception):
    pass


def create_user(*, name: str, email: str, role: Role, agency_id: int | None, actor: Actor,
                password: str | None = None) -> User:
    """An officer or admin account. With no password, the account waits for its set-up link."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise EmailTaken
    if role == Role.OFFICER and (agency_id is None or db.session.get(Agency, agency_id) is None):
        raise ValueError("an officer needs an agency")
    # An unusable random hash until the person sets their own password.
    user = User(name=name.strip(), email=email, role=role,
                agency_id=agency_id if role == Role.OFFICER else None,
                password_hash=hash_password(password or new_token()[0]))
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "account_created", f"Created {role.label.lower()} account {user.id}",
                 target=user, details={"role": role.value, "agency_id": user.agency_id})
    return user


def email_setup_link(user: User, *, mailer: Mailer, link_for: Callable[[str], str],
                     actor: Actor) -> None:
    """A new account's first email: what the account is, and a link to choose a password.

    Not a password-reset email: the person asked for nothing, and needs to know who made the
    account and why.
    """
    raw = create_reset_token(user, hours=SETUP_LINK_HOURS)
    audit.record(actor, "account_setup_link_sent", f"Account set-up link sent to user {user.id}",
                 target=user)
    days = SETUP_LINK_HOURS // 24
    agency = db.session.get(Agency, user.agency_id) if user.agency_id else None
    role = user.role.label.lower() + (f" for {agency.name}" if agency else "")
    mailer.send(Email(
        to=user.email, subject="Your Knife Sales Compliance account",
        body=(f"Hello {user.name},\n\nAn administrator has created a Knife Sales Compliance "
              f"account for you as {_article(role)} {role}.\n\nTo start, choose your password "
              f"with this link. It works once and expires in {days} days:\n\n{link_for(raw)}"
              "\n\nYou will sign in with this email address. If you were not expecting this "
              "account, tell the administrator who set it up.\n")))


def _article(words: str) -> str:
    return "an" if words[:1].lower() in "aeiou" else "a"


def list_users(role: Role | None, page: int, per_page: int, cap: int) -> Page:
    """A page of accounts by name, all or one role's, counted up to `cap` (one statement; the
    order is a range of ix_users_name or ix_users_role_name)."""
    stmt = select(User)
    if role is not None:
        stmt = stmt.where(User.role == role)
    return capped_page(db.session, stmt.order_by(User.name, User.id), User.id, page, per_page,
                       cap, options=(joinedload(User.agency), joinedload(User.retailer)))


def set_user_active(user: User, active: bool, actor: Actor) -> None:
    user.active = active
    user.deactivated_at = None if active else datetime.now(UTC)
    if not active:
        user.session_version += 1
    else:
        user.locked_until = None
        user.failed_sign_ins = 0
    action = "account_reactivated" if active else "account_deactivated"
    audit.record(actor, action, f"{'Reactivated' if active else 'Deactivated'} account {user.id}",
                 target=user)
    db.session.flush()
    if user.premises_id:  # the trained-staff share of a verified certificate changes
        record_changes([user.premises_id], actor)


def list_agencies() -> list[tuple[Agency, int]]:
    officers = (select(func.count(User.id)).where(User.agency_id == Agency.id)
                .correlate(Agency).scalar_subquery())
    return [(a, n) for a, n in db.session.execute(
        select(Agency, officers).order_by(Agency.name)).all()]


def save_agency(agency: Agency | None, *, name: str, kind: AgencyKind, actor: Actor) -> Agency:
    name = name.strip()
    clash = db.session.scalar(select(Agency.id).where(func.lower(Agency.name) == name.lower()))
    if clash is not None and (agency is None or clash != agency.id):
        raise AgencyNameTaken
    created = agency is None
    if agency is None:
        agency = Agency(name=name, kind=kind)
        db.session.add(agency)
    else:
        agency.name, agency.kind = name, kind
    db.session.flush()
    audit.record(actor, "agency_created" if created else "agency_updated",
                 f"{'Created' if created else 'Updated'} agency {agency.name}", target=agency)
    return agency


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    actor_email: str | None = None
    since: date | None = None
    until: date | None = None


def audit_query(f: AuditFilter) -> Select:
    stmt = select(AuditEvent)
    if f.action:
        stmt = stmt.where(AuditEvent.action == f.action)
    if f.actor_email:
        stmt = stmt.join(User, AuditEvent.actor_id == User.id).where(
            User.email == normalise_email(f.actor_email))
    if f.since:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(f.since, time.min, UTC))
    if f.until:
        stmt = stmt.where(AuditEvent.at < datetime.combine(f.until, time.min, UTC)
                          + timedelta(days=1))
    return stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def action_words(action: str) -> str:
    """An audit action as a person reads it ("visit_submitted" reads "Visit submitted")."""
    return action_label(action)


def audit_page(f: AuditFilter, page: int, per_page: int, cap: int) -> Page:
    """A page of the audit log, newest first, counted up to `cap` (one statement). The log
    grows with every sign-in and change; its page is a range of ix_audit_events_at_id (or
    _action_at_id for one action), never a count and sort of millions of events."""
    return capped_page(db.session, audit_query(f), AuditEvent.id, page, per_page, cap,
                       options=(joinedload(AuditEvent.actor),))
