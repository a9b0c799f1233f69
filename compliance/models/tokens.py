"""Single-use emailed links: staff invitations and password resets. Only hashes are stored."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.models.base import Base, TimestampMixin, str200, str320, utcnow

if TYPE_CHECKING:
    from compliance.models.retailers import Premises, Retailer
    from compliance.models.users import User


class Invitation(TimestampMixin, Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str320] = mapped_column(index=True)
    name: Mapped[str200]
    retailer_id: Mapped[int] = mapped_column(ForeignKey("retailers.id"), index=True)
    premises_id: Mapped[int | None] = mapped_column(ForeignKey("premises.id"))
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    retailer: Mapped[Retailer] = relationship(lazy="raise")
    premises: Mapped[Premises | None] = relationship(lazy="raise")
    invited_by: Mapped[User] = relationship(lazy="raise")

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > utcnow()


class PasswordReset(TimestampMixin, Base):
    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="raise")

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > utcnow()
