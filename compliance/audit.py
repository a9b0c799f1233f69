"""Writing to the audit log. Services call record(); views supply who and from where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compliance.extensions import db
from compliance.models import AuditEvent, User


@dataclass(frozen=True)
class Actor:
    """Who is acting, and from which address: passed explicitly from views to services."""

    user: User | None
    ip_address: str | None = None

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None


def record(actor: Actor, action: str, summary: str, *, target: Any = None,
           details: dict[str, Any] | None = None, user: User | None = None) -> AuditEvent:
    """Add one audit event (flushed by the caller's commit)."""
    who = user if user is not None else actor.user
    event = AuditEvent(
        actor_id=who.id if who is not None else None,
        action=action,
        summary=summary[:500],
        target_type=type(target).__name__ if target is not None else None,
        target_id=getattr(target, "id", None),
        details=details,
        ip_address=actor.ip_address,
    )
    db.session.add(event)
    return event
