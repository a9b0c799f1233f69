"""Who may do what: coarse role checks for routes, and object checks for records."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, request
from flask_login import current_user

from compliance.extensions import login_manager
from compliance.models import Premises, Retailer, Role, User

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
