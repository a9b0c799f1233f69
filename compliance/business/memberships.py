"""A person who works for more than one business: each place of work is a membership.

The user row keeps the workplace they are working in now (every permission check reads it);
a member of staff with several memberships switches between them. A person with one
workplace never needs a membership row: theirs is the one on the user row.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from compliance import audit
from compliance.audit import Actor
from compliance.auth.services import InvalidLink, usable_invitation
from compliance.certificates.status import record_changes
from compliance.constraints import claim, unique_or_raise
from compliance.extensions import db
from compliance.models import Invitation, Membership, Role, User
from compliance.models.base import utcnow


class AlreadyMember(Exception):
    """The person already works for this business."""


class WrongAccount(Exception):
    """The invitation was sent to another email address than the signed-in account's."""


def can_join(user: User) -> bool:
    """Only staff accounts can be invited to another business (a manager runs one)."""
    return user.role == Role.STAFF and user.active


def is_member(user: User, retailer_id: int) -> bool:
    return user.retailer_id == retailer_id or db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.retailer_id == retailer_id)) is not None


def workplaces(user: User) -> list[Membership]:
    """The person's places of work, with business and premises loaded (empty: just one)."""
    return list(db.session.scalars(
        select(Membership).where(Membership.user_id == user.id)
        .options(joinedload(Membership.retailer), joinedload(Membership.premises))
        .order_by(Membership.id)))


def _ensure_current_membership(user: User) -> None:
    """Record the workplace on the user row as a membership before adding a second one."""
    if user.retailer_id is None:
        return
    exists = db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.retailer_id == user.retailer_id))
    if exists is None:
        db.session.add(Membership(user_id=user.id, retailer_id=user.retailer_id,
                                  premises_id=user.premises_id))
        db.session.flush()


def join_from_invitation(raw: str, user: User, actor: Actor) -> Membership:
    """A signed-in member of staff accepts an invitation from another business."""
    invitation = usable_invitation(raw)
    if invitation.email != user.email:
        raise WrongAccount
    if not can_join(user):
        raise InvalidLink
    if is_member(user, invitation.retailer_id):
        raise AlreadyMember
    business = invitation.retailer.name
    if not claim(Invitation, invitation.id, Invitation.used_at.is_(None),
                 Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow(),
                 used_at=utcnow()):
        raise InvalidLink
    _ensure_current_membership(user)
    membership = Membership(user_id=user.id, retailer_id=invitation.retailer_id,
                            premises_id=invitation.premises_id, invitation_id=invitation.id)
    # The unique (user, business) constraint decides between two concurrent acceptances.
    with unique_or_raise("uq_memberships_user_id_retailer_id", AlreadyMember()):
        db.session.add(membership)
        db.session.flush()
    audit.record(actor, "invitation_accepted",
                 f"Joined {business} as staff from invitation {invitation.id} "
                 "(existing account)", target=user, user=user)
    return membership


def switch_workplace(user: User, membership: Membership, actor: Actor) -> None:
    """Work at another of one's businesses: the user row points at it from now on."""
    if membership.user_id != user.id:
        raise PermissionError
    before = user.premises_id
    _ensure_current_membership(user)
    user.retailer_id, user.premises_id = membership.retailer_id, membership.premises_id
    db.session.flush()
    # The trained-staff share of both premises changes.
    record_changes([p for p in (before, membership.premises_id) if p], actor)
