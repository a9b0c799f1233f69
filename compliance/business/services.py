"""Business rules: registration, premises, staff invitations and deactivation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from compliance import audit
from compliance.audit import Actor
from compliance.auth.passwords import hash_password
from compliance.auth.services import EmailTaken, find_user_by_email, normalise_email
from compliance.certificates.status import record_changes
from compliance.constraints import unique_or_raise
from compliance.extensions import db
from compliance.mail import Email, Mailer
from compliance.models import Invitation, Jurisdiction, Premises, Retailer, Role, User
from compliance.models.base import utcnow
from compliance.tokens import new_token


class NotPermitted(Exception):
    """The actor may not do this to this record."""


class AlreadyInvited(Exception):
    """A usable invitation for this email already exists."""


@dataclass(frozen=True)
class PremisesDetails:
    name: str
    address_line_1: str
    address_line_2: str | None
    town: str
    postcode: str
    jurisdiction: Jurisdiction


def register_business(*, business_name: str, contact_name: str, email: str, password: str,
                      premises: PremisesDetails, actor: Actor,
                      claim_code: str | None = None) -> User:
    """A shop owner registers: the business, its first premises, and them as its manager.

    With the claim code from an officer's visit summary, the owner takes over the shop the
    officer added, with its visits (InvalidClaimCode if no unclaimed shop has the code).
    """
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise EmailTaken
    password_hash = hash_password(password)  # slow: outside the savepoint
    # A concurrent registration with the same email passes the check above; the database's
    # unique email stops it, and everything this one added is undone with the savepoint.
    with unique_or_raise("uq_users_email", EmailTaken()):
        if (claim_code or "").strip():
            retailer = _take_over(claim_code, business_name, contact_name, email, premises)
        else:
            retailer = Retailer(name=business_name.strip(), contact_name=contact_name.strip(),
                                contact_email=email)
            db.session.add(retailer)
            db.session.flush()
            add_premises(retailer, premises)
        manager = User(email=email, name=contact_name.strip(), role=Role.MANAGER,
                       retailer_id=retailer.id, password_hash=password_hash)
        db.session.add(manager)
        db.session.flush()
    audit.record(actor, "business_registered", f"Registered business {retailer.name}",
                 target=retailer, user=manager)
    return manager


def _take_over(claim_code: str, business_name: str, contact_name: str, email: str,
               details: PremisesDetails) -> Retailer:
    from compliance.shops.services import claim, claimable_premises  # visits builds on business

    shop = claimable_premises(claim_code)
    retailer = claim(shop, business_name=business_name, contact_name=contact_name, email=email)
    for key, value in _premises_values(details).items():
        setattr(shop, key, value)
    db.session.flush()
    return retailer


def add_premises(retailer: Retailer, details: PremisesDetails) -> Premises:
    premises = Premises(retailer_id=retailer.id, **_premises_values(details))
    db.session.add(premises)
    db.session.flush()
    return premises


def update_premises(premises: Premises, details: PremisesDetails, actor: Actor) -> None:
    for key, value in _premises_values(details).items():
        setattr(premises, key, value)
    audit.record(actor, "premises_updated", f"Updated premises {premises.name}", target=premises)
    db.session.flush()


def _premises_values(details: PremisesDetails) -> dict:
    return {"name": details.name.strip(), "address_line_1": details.address_line_1.strip(),
            "address_line_2": (details.address_line_2 or "").strip() or None,
            "town": details.town.strip(), "postcode": details.postcode.strip().upper(),
            "jurisdiction": details.jurisdiction}


def list_businesses(search: str = "", page: int = 1, per_page: int = 25):
    """Businesses with a premises count, for officers and admins (one query per page)."""
    premises_count = (select(func.count(Premises.id)).where(Premises.retailer_id == Retailer.id)
                      .correlate(Retailer).scalar_subquery())
    stmt = select(Retailer, premises_count.label("premises_count")).order_by(Retailer.name)
    if search.strip():
        like = f"%{search.strip().lower()}%"
        postcode_match = select(Premises.id).where(
            Premises.retailer_id == Retailer.id,
            or_(func.lower(Premises.postcode).like(like), func.lower(Premises.name).like(like),
                func.lower(Premises.town).like(like))).exists()
        stmt = stmt.where(or_(func.lower(Retailer.name).like(like), postcode_match))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def business_overview(retailer_id: int) -> Retailer | None:
    """A business with its premises, people and open invitations loaded up front."""
    return db.session.scalar(
        select(Retailer).where(Retailer.id == retailer_id).options(
            selectinload(Retailer.premises),
            selectinload(Retailer.users).selectinload(User.premises),
        ))


def open_invitations(retailer_id: int) -> list[Invitation]:
    return list(db.session.scalars(
        select(Invitation).options(selectinload(Invitation.premises))
        .where(Invitation.retailer_id == retailer_id, Invitation.used_at.is_(None),
               Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow())
        .order_by(Invitation.created_at.desc())))


def invite_staff(retailer: Retailer, *, name: str, email: str, premises_id: int,
                 mailer: Mailer, link_for: Callable[[str], str], actor: Actor) -> Invitation:
    """Email a single-use join link that expires after INVITATION_DAYS days."""
    email = normalise_email(email)
    premises = db.session.get(Premises, premises_id)
    if premises is None or premises.retailer_id != retailer.id:
        raise NotPermitted
    existing = find_user_by_email(email)
    if existing is not None:
        # A member of staff elsewhere can be invited to work here as well.
        from compliance.business.memberships import AlreadyMember, can_join, is_member

        if not can_join(existing):
            raise EmailTaken
        if is_member(existing, retailer.id):
            raise AlreadyMember
    if db.session.scalar(select(Invitation.id).where(
            Invitation.email == email, Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow())):
        raise AlreadyInvited
    days = int(current_app.config["INVITATION_DAYS"])
    raw, digest = new_token()
    invitation = Invitation(token_hash=digest, email=email, name=name.strip(),
                            retailer_id=retailer.id, premises_id=premises.id,
                            invited_by_id=actor.user_id, expires_at=utcnow() + timedelta(days=days))
    db.session.add(invitation)
    db.session.flush()
    audit.record(actor, "staff_invited", f"Invited a staff member to {retailer.name}",
                 target=invitation, details={"premises_id": premises.id})
    inviter = actor.user.name if actor.user else "Your manager"
    if existing is not None:
        body = (f"Hello {existing.name},\n\n{inviter} has invited you to work at "
                f"{premises.name} for {retailer.name} as well, on Knife Sales Compliance.\n\n"
                f"Sign in with your existing account ({email}) and accept with this link. It "
                f"works once and expires in {days} days:\n\n{link_for(raw)}\n\nYour "
                "training counts for both businesses.\n")
    else:
        body = (f"Hello {invitation.name},\n\n{inviter} has invited you to join "
                f"{retailer.name} on Knife Sales Compliance, where you will complete "
                f"responsible knife-sales training.\n\nCreate your account with this link. It "
                f"works once and expires in {days} days:\n\n{link_for(raw)}\n")
    mailer.send(Email(to=email, subject=f"Join {retailer.name} on Knife Sales Compliance",
                      body=body))
    return invitation


def revoke_invitation(invitation: Invitation, actor: Actor) -> None:
    invitation.revoked_at = utcnow()
    audit.record(actor, "invitation_revoked", "Revoked an invitation", target=invitation)
    db.session.flush()


def set_member_active(member: User, active: bool, actor: Actor) -> None:
    """Deactivate someone who has left (records stay), or bring them back."""
    member.active = active
    member.deactivated_at = None if active else utcnow()
    if not active:
        member.session_version += 1  # end their sessions now
    action = "account_reactivated" if active else "account_deactivated"
    verb = "Reactivated" if active else "Deactivated"
    audit.record(actor, action, f"{verb} the account of user {member.id}", target=member)
    db.session.flush()
    if member.premises_id:  # the trained-staff share of a verified certificate changes
        record_changes([member.premises_id], actor)
