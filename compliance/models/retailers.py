"""Businesses that sell knives, and their premises."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.models.base import Base, TimestampMixin, str200, str320
from compliance.models.users import enum_column

if TYPE_CHECKING:
    from compliance.models.users import User


class Jurisdiction(enum.StrEnum):
    ENGLAND_WALES = "england-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    @property
    def label(self) -> str:
        return {"england-wales": "England and Wales", "scotland": "Scotland",
                "northern-ireland": "Northern Ireland"}[self.value]


class Retailer(TimestampMixin, Base):
    """A business: the legal seller, with one or more premises."""

    __tablename__ = "retailers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str200] = mapped_column(index=True)
    contact_name: Mapped[str200]
    contact_email: Mapped[str320]
    # False for a business an officer added for a shop that has not registered yet.
    claimed: Mapped[bool] = mapped_column(default=True, server_default=true())

    premises: Mapped[list[Premises]] = relationship(
        back_populates="retailer", lazy="raise", order_by="Premises.name"
    )
    users: Mapped[list[User]] = relationship(back_populates="retailer", lazy="raise")


class Premises(TimestampMixin, Base):
    """One shop (or warehouse, or online storefront base) of a retailer."""

    __tablename__ = "premises"

    id: Mapped[int] = mapped_column(primary_key=True)
    retailer_id: Mapped[int] = mapped_column(ForeignKey("retailers.id"))  # indexes.py
    name: Mapped[str200]
    address_line_1: Mapped[str200]
    address_line_2: Mapped[str200 | None]
    town: Mapped[str200]
    postcode: Mapped[str] = mapped_column(String(10), index=True)
    jurisdiction: Mapped[Jurisdiction] = mapped_column(enum_column(Jurisdiction))
    # The premises profile: which checklist items apply.
    sells_remotely: Mapped[bool] = mapped_column(default=False, server_default=false())
    click_and_collect: Mapped[bool] = mapped_column(default=False, server_default=false())
    stock_kinds: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Added by an officer before the business registered; the business claims it with this code.
    claim_code: Mapped[str | None] = mapped_column(String(20), unique=True)

    retailer: Mapped[Retailer] = relationship(back_populates="premises", lazy="raise")

    @property
    def address(self) -> str:
        parts = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return ", ".join(p for p in parts if p)
