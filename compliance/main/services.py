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
    retailer = db.session.get(Retailer, user.retailer_id) if user.retailer_id else None
    premises = db.session.get(Premises, user.premises_id) if user.premises_id else None
    agency = db.session.get(Agency, user.agency_id) if user.agency_id else None
    businesses = staff = 0
    counted, premises_count = premises_count, premises_count or 0
    if user.role in (Role.OFFICER, Role.ADMIN):
        businesses = db.session.scalar(select(func.count(Retailer.id))) or 0
        premises_count = db.session.scalar(select(func.count(Premises.id))) or 0
    elif user.role == Role.MANAGER and retailer is not None:
        if counted is None:
            premises_count = db.session.scalar(select(func.count(Premises.id))
                                               .where(Premises.retailer_id == retailer.id)) or 0
        staff = db.session.scalar(select(func.count(User.id)).where(
            User.retailer_id == retailer.id, User.role == Role.STAFF, User.active)) or 0
    return HomeSummary(retailer, premises, agency, businesses, premises_count, staff)
