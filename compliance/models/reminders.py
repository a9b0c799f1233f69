"""Reminder emails sent, once per recipient and cause; and extra workplaces of a person."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.models.base import Base, TimestampMixin, UTCDateTime, str200, utcnow

if TYPE_CHECKING:
    from compliance.models.retailers import Premises, Retailer


class ReminderSent(Base):
    """One reminder email. The database refuses a second one for the same recipient and cause."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("user_id", "cause_key",
                                       name="uq_reminders_sent_user_id_cause_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # What the reminder is about, e.g. "register-week:12:2026-11-16" or "follow-up-due:4".
    cause_key: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str200]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Membership(TimestampMixin, Base):
    """A person's place of work at a business. The user row holds the one they work in now;
    a person invited by a second business gets a second membership and can switch."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "retailer_id",
                                       name="uq_memberships_user_id_retailer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    retailer_id: Mapped[int] = mapped_column(ForeignKey("retailers.id"), index=True)
    premises_id: Mapped[int | None] = mapped_column(ForeignKey("premises.id"))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"))

    retailer: Mapped[Retailer] = relationship(lazy="raise")
    premises: Mapped[Premises | None] = relationship(lazy="raise")
