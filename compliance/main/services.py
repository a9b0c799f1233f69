"""What each role's home page shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from compliance.extensions import db
from compliance.models import Agency, Premises, Retailer, Role, User


@dataclass(frozen=True)
class HomeSummary:
    retailer: Retailer | None
    premises: Premises | None
    agency: Agency | None
    business_count: int = 0
    premises_count: int = 0
    staff_count: int = 0


def home_summary(user: User, premises_count: int | None = None) -> HomeSummary:
    """premises_count: a manager's number of premises when the caller has counted them."""
    retailer = staff = None
    if user.role == Role.MANAGER and user.retailer_id:
        # The business and its active staff in one statement.
        row = db.session.execute(select(Retailer, _staff_count()).where(
            Retailer.id == user.retailer_id)).first()
        retailer, staff = (row[0], row[1]) if row else (None, None)
    elif user.retailer_id:
        retailer = db.session.get(Retailer, user.retailer_id)
    premises = db.session.get(Premises, user.premises_id) if user.premises_id else None
    agency = db.session.get(Agency, user.agency_id) if user.agency_id else None
    businesses = 0
    counted, premises_count = premises_count, premises_count or 0
    if user.role in (Role.OFFICER, Role.ADMIN):
        businesses, premises_count = db.session.execute(select(
            select(func.count(Retailer.id)).scalar_subquery(),
            select(func.count(Premises.id)).scalar_subquery())).one()
    elif user.role == Role.MANAGER and retailer is not None and counted is None:
        premises_count = db.session.scalar(select(func.count(Premises.id))
                                           .where(Premises.retailer_id == retailer.id)) or 0
    return HomeSummary(retailer, premises, agency, businesses or 0, premises_count, staff or 0)


def _staff_count():
    """How many active staff the business in the row has (a column beside `Retailer`)."""
    return (select(func.count(User.id))
            .where(User.retailer_id == Retailer.id, User.role == Role.STAFF, User.active)
            .correlate(Retailer).scalar_subquery())
