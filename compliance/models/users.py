"""People who sign in, and the agencies officers belong to."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.models.base import Base, TimestampMixin, str80, str200, str320

if TYPE_CHECKING:
    from compliance.models.retailers import Premises, Retailer


def enum_column(enum_cls: type[enum.Enum], length: int = 30) -> Enum:
    """A portable enum column: stores the value as text, no native database type."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Role(enum.StrEnum):
    STAFF = "staff"
    MANAGER = "manager"
    OFFICER = "officer"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"staff": "Shop staff", "manager": "Shop manager",
                "officer": "Engagement officer", "admin": "Administrator"}[self.value]


class AgencyKind(enum.StrEnum):
    POLICE = "police"
    TRADING_STANDARDS = "trading_standards"

    @property
    def label(self) -> str:
        return {"police": "Police force", "trading_standards": "Trading standards service"}[
            self.value
        ]


class Agency(TimestampMixin, Base):
    """A police force or trading standards service that officers work for."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str200] = mapped_column(unique=True)
    kind: Mapped[AgencyKind] = mapped_column(enum_column(AgencyKind))

    officers: Mapped[list[User]] = relationship(back_populates="agency", lazy="raise")


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str320] = mapped_column(unique=True)
    name: Mapped[str200]
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), index=True)
    retailer_id: Mapped[int | None] = mapped_column(ForeignKey("retailers.id"), index=True)
    premises_id: Mapped[int | None] = mapped_column(ForeignKey("premises.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    # Deactivated accounts cannot sign in, but their records stay.
    active: Mapped[bool] = mapped_column(default=True)
    deactivated_at: Mapped[datetime | None]
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]
    # Bumped on password change or deactivation so that old sessions stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    job_title: Mapped[str80 | None]

    retailer: Mapped[Retailer | None] = relationship(back_populates="users", lazy="raise")
    premises: Mapped[Premises | None] = relationship(lazy="raise")
    agency: Mapped[Agency | None] = relationship(back_populates="officers", lazy="raise")

    # Flask-Login protocol, written out so that the session id carries the version.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
