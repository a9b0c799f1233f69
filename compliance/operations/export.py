"""The operation report's CSV, streamed: one Core query of plain columns read through a
server-side cursor (yield_per) and written out a chunk of rows at a time, so memory stays
flat however many visits the operation had."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from compliance.csv_export import csv_chunks
from compliance.extensions import db
from compliance.models import Agency, FollowUp, Premises, Retailer, TestPurchase, User, Visit
from compliance.paging import without_jit
from compliance.visits.labels import MATERIALS, OUTCOMES, VISIT_TYPES, label
from compliance.visits.timezone import uk_time

CHUNK = 1000  # rows fetched from the cursor, and written, at a time

class _Words(NamedTuple):
    visit_types: dict[str, str]
    outcomes: dict[str, str]
    materials: dict[str, str]


CSV_COLUMNS = ["Visit", "Visited at (UK time)", "Premises", "Postcode", "Business", "Officer",
               "Agency", "Type", "Area", "Outcome", "Materials given", "Advice given",
               "Test purchase", "ID asked for", "Follow-ups"]


def _statement(operation_id: int, area: str | None, include_notes: bool):
    """One Core select of plain columns: no ORM objects are built for the rows, which was
    most of the time (2.4 s for 16,000 rows through joinedload)."""
    first = (select().where(TestPurchase.visit_id == Visit.id).order_by(TestPurchase.id)
             .limit(1))
    sold = first.add_columns(TestPurchase.sold).scalar_subquery()
    id_asked = first.add_columns(TestPurchase.id_asked).scalar_subquery()
    follow_ups = (select(func.count(FollowUp.id)).where(FollowUp.visit_id == Visit.id)
                  .scalar_subquery())
    stmt = (select(Visit.id, Visit.visited_at, Premises.name, Premises.postcode, Retailer.name,
                   User.name, Agency.name, Visit.visit_type, Visit.area, Visit.outcome,
                   Visit.materials, Visit.advice_given,
                   case((sold.is_(None), ""), (sold.is_(True), "sold"), else_="refused"),
                   case((id_asked.is_(None), ""), (id_asked.is_(True), "yes"), else_="no"),
                   follow_ups, *([Visit.officer_notes] if include_notes else []))
            .join(Premises, Premises.id == Visit.premises_id)
            .join(Retailer, Retailer.id == Premises.retailer_id)
            .join(User, User.id == Visit.officer_id)
            .outerjoin(Agency, Agency.id == Visit.agency_id)
            .where(Visit.operation_id == operation_id, Visit.status == "submitted")
            .order_by(Visit.visited_at, Visit.id))
    return stmt.where(Visit.area == area) if area else stmt


def _rows(connection: Connection, words: _Words, operation_id: int, area: str | None,
          include_notes: bool) -> Iterator[list]:
    # Options on the statement, not the connection: Connection.execution_options changes the
    # connection itself, and a server-side cursor must not outlive this query.
    result = connection.execute(_statement(operation_id, area, include_notes)
                                .execution_options(yield_per=CHUNK))
    visit_types, outcomes, materials = words
    for (visit_id, visited_at, premises, postcode, business, officer, agency, visit_type,
         visit_area, outcome, given, advice, purchase, asked, follow_up_count,
         *notes) in result:
        when = uk_time(visited_at)
        yield [visit_id, when.strftime("%Y-%m-%d %H:%M") if when else "", premises, postcode,
               business, officer, agency or "", label(visit_types, visit_type),
               visit_area or "", label(outcomes, outcome),
               "; ".join(label(materials, m) for m in given or ()), advice or "",
               purchase, asked, follow_up_count, *(n or "" for n in notes)]


def report_csv(operation_id: int, area: str | None,
               include_notes: bool = False) -> Iterator[str]:
    """The visits as CSV text, chunk by chunk; officer-only notes only when asked (admins).

    The body is read after the view has returned and its app context is gone, so the rows
    come through a session of the stream's own on the app's engine (taken now, in the
    view), opened with the first chunk and closed with the last. No Flask context is held
    across chunks, so nothing is left pushed if the download stops half way."""
    engine = db.engine
    words = _Words({k: str(v) for k, v in VISIT_TYPES.items()},
                   {k: str(v) for k, v in OUTCOMES.items()},
                   {k: str(v) for k, v in MATERIALS.items()})  # translated now, in the view
    header = CSV_COLUMNS + (["Officer notes"] if include_notes else [])

    def chunks() -> Iterator[str]:
        # A session only to bind to the engine as the app does (the tests bind it to their
        # transaction's connection); the rows are plain tuples from its connection.
        with Session(engine) as session:
            without_jit(session)
            yield from csv_chunks(header, _rows(session.connection(), words, operation_id,
                                                area, include_notes), CHUNK)
    return chunks()
