"""Who may do what: coarse role checks for routes, and object checks for records."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, request
from flask_login import current_user

from compliance.extensions import login_manager
from compliance.models import FollowUp, Premises, Refusal, Retailer, Role, User, Visit

F = TypeVar("F", bound=Callable[..., Any])


def role_required(*roles: Role) -> Callable[[F], F]:
    """Signed-in users with one of these roles; others get 403 (anonymous: the sign-in page)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if request.accept_mimetypes.best == "application/json":
                    abort(401)
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def can_view_retailer(user: User, retailer: Retailer) -> bool:
    """Officers and admins read every business; managers read their own."""
    if user.role in (Role.ADMIN, Role.OFFICER):
        return True
    return user.role == Role.MANAGER and user.retailer_id == retailer.id


def can_manage_retailer(user: User, retailer: Retailer) -> bool:
    """Change a business, its premises and staff: its own managers, and admins."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.MANAGER and user.retailer_id == retailer.id


def can_view_premises(user: User, premises: Premises) -> bool:
    if user.role in (Role.ADMIN, Role.OFFICER):
        return True
    if user.role == Role.MANAGER:
        return user.retailer_id == premises.retailer_id
    return user.role == Role.STAFF and user.premises_id == premises.id


def can_manage_staff_member(user: User, member: User) -> bool:
    if member.role not in (Role.STAFF, Role.MANAGER) or member.id == user.id:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.MANAGER and member.retailer_id == user.retailer_id


def can_view_visit(user: User, visit: Visit) -> bool:
    """The officer's full record (notes, volunteer details): admins, and officers; drafts are
    seen only by the officer recording them."""
    if user.role == Role.ADMIN:
        return visit.status == "submitted"
    if user.role != Role.OFFICER:
        return False
    return visit.status == "submitted" or visit.officer_id == user.id


def can_see_officer_only_details(user: User, visit: Visit) -> bool:
    """Officer-only notes and the volunteer's details: the recording agency and admins.

    Officers of other agencies still read the visit itself (partnership work needs it).
    """
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.OFFICER and (
        visit.officer_id == user.id
        or (visit.agency_id is not None and visit.agency_id == user.agency_id))


def can_edit_visit(user: User, visit: Visit) -> bool:
    """A draft: its officer. Once submitted: its officer or any officer of the same agency."""
    if user.role != Role.OFFICER:
        return False
    if visit.officer_id == user.id:
        return True
    return (visit.status == "submitted" and visit.agency_id is not None
            and visit.agency_id == user.agency_id)


def can_view_visit_summary(user: User, visit: Visit, premises: Premises) -> bool:
    """The summary left with the shop (no officer notes or volunteer details)."""
    if can_view_visit(user, visit):
        return True
    return (user.role == Role.MANAGER and visit.status == "submitted"
            and user.retailer_id == premises.retailer_id)


def can_view_follow_up(user: User, follow_up: FollowUp, premises: Premises) -> bool:
    if user.role in (Role.ADMIN, Role.OFFICER):
        return True
    return user.role == Role.MANAGER and user.retailer_id == premises.retailer_id


def can_answer_follow_up(user: User, follow_up: FollowUp, premises: Premises) -> bool:
    """The shop's managers answer follow-ups while they wait for the shop."""
    return (user.role == Role.MANAGER and user.retailer_id == premises.retailer_id
            and follow_up.is_open)


def can_review_follow_up(user: User, follow_up: FollowUp, visit: Visit) -> bool:
    """Close or return a follow-up: officers who may edit the visit that raised it."""
    return follow_up.status != "closed" and can_edit_visit(user, visit)


def can_read_premises_records(user: User, premises: Premises) -> bool:
    """Self-assessments and the whole refusals register: officers and admins read every
    premises'; managers their own business's."""
    if user.role in (Role.ADMIN, Role.OFFICER):
        return True
    return user.role == Role.MANAGER and user.retailer_id == premises.retailer_id


def is_premises_manager(user: User, premises: Premises) -> bool:
    """Answer self-assessments and sign off the refusals register: the business's managers."""
    return user.role == Role.MANAGER and user.retailer_id == premises.retailer_id


def can_record_refusal(user: User, premises: Premises) -> bool:
    """Staff of the premises and managers of its business."""
    if user.role == Role.STAFF:
        return user.premises_id == premises.id
    return is_premises_manager(user, premises)


def can_correct_refusal(user: User, refusal: Refusal, premises: Premises) -> bool:
    """Managers correct any entry; staff correct the entries they recorded or refused."""
    if refusal.premises_id != premises.id or not can_record_refusal(user, premises):
        return False
    return user.role == Role.MANAGER or user.id in (refusal.recorded_by_id,
                                                    refusal.refused_by_id)
