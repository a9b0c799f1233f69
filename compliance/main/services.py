"""What each role's home page shows."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Integer, bindparam, case, cast, column, func, select, table

from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.models import Agency, Premises, Retailer, Role, User


@dataclass(frozen=True)
class Tally:
    """A count to show: exact, or PostgreSQL's estimate of a table's rows ("about 50,000")."""

    n: int
    approximate: bool = False

    def __str__(self) -> str:
        shown = f"{self.n:,}"
        return _("about %(number)s", number=shown) if self.approximate else shown


@dataclass(frozen=True)
class HomeSummary:
    retailer: Retailer | None
    premises: Premises | None
    agency: Agency | None
    business_count: Tally | int = 0
    premises_count: Tally | int = 0
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
        businesses, premises_count = registered()
    elif user.role == Role.MANAGER and retailer is not None and counted is None:
        premises_count = db.session.scalar(select(func.count(Premises.id))
                                           .where(Premises.retailer_id == retailer.id)) or 0
    return HomeSummary(retailer, premises, agency, businesses or 0, premises_count, staff or 0)


def _staff_count():
    """How many active staff the business in the row has (a column beside `Retailer`)."""
    return (select(func.count(User.id))
            .where(User.retailer_id == Retailer.id, User.role == Role.STAFF, User.active)
            .correlate(Retailer).scalar_subquery())


def registered() -> tuple[Tally, Tally]:
    """How many businesses and premises are registered. Counting 50,000 premises reads all
    of an index on every officer's and admin's home page; on PostgreSQL, a table holding at
    least ESTIMATE_COUNTS_FROM rows (by the statistics autovacuum keeps) is shown by that
    estimate, rounded, and only a smaller one is counted (in the same statement: PostgreSQL
    runs a count only when its branch is taken)."""
    tables = (Retailer, Premises)
    if db.engine.dialect.name != "postgresql":
        counts = db.session.execute(select(*(
            select(func.count(m.id)).scalar_subquery() for m in tables))).one()
        return tuple(Tally(n) for n in counts)  # type: ignore[return-value]
    from_ = int(current_app.config["ESTIMATE_COUNTS_FROM"])
    row = db.session.execute(select(*(_estimate(m, from_) for m in tables))).one()
    return tuple(Tally(round(n, 2 - len(str(n))) if n >= from_ else n, n >= from_)
                 for n in row)  # type: ignore[return-value]


_PG_CLASS = table("pg_class", column("oid"), column("reltuples"))


def _estimate(model, from_: int):
    """The table's estimated rows if there are at least `from_`, else its exact count."""
    estimate = (select(cast(_PG_CLASS.c.reltuples, Integer))
                .where(_PG_CLASS.c.oid == func.to_regclass(model.__tablename__))
                .scalar_subquery())
    return case((estimate >= bindparam("estimate_from", from_), estimate),
                else_=select(func.count(model.id)).scalar_subquery())
