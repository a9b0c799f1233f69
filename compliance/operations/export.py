"""The operation report's CSV, streamed: one query read through a server-side cursor
(yield_per) and written out a chunk of rows at a time, so memory stays flat however many
visits the operation had."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload

from compliance.csv_export import csv_chunks
from compliance.extensions import db
from compliance.models import FollowUp, Premises, TestPurchase, Visit
from compliance.operations.reports import report_scope
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


def _rows(session: Session, words: _Words, operation_id: int, area: str | None,
          include_notes: bool) -> Iterator[list]:
    first = (select().where(TestPurchase.visit_id == Visit.id).order_by(TestPurchase.id)
             .limit(1))
    sold = first.add_columns(TestPurchase.sold).scalar_subquery()
    id_asked = first.add_columns(TestPurchase.id_asked).scalar_subquery()
    follow_ups = (select(func.count(FollowUp.id)).where(FollowUp.visit_id == Visit.id)
                  .scalar_subquery())
    stmt = (report_scope(operation_id, area)
            .add_columns(case((sold.is_(None), ""), (sold.is_(True), "sold"),
                              else_="refused"),
                         case((id_asked.is_(None), ""), (id_asked.is_(True), "yes"),
                              else_="no"), follow_ups)
            .options(joinedload(Visit.premises).joinedload(Premises.retailer),
                     joinedload(Visit.officer), joinedload(Visit.agency))
            .order_by(Visit.visited_at, Visit.id)
            .execution_options(yield_per=CHUNK))
    for v, purchase, asked, follow_up_count in session.execute(stmt):
        when = uk_time(v.visited_at)
        row = [v.id, when.strftime("%Y-%m-%d %H:%M") if when else "", v.premises.name,
               v.premises.postcode, v.premises.retailer.name, v.officer.name,
               v.agency.name if v.agency else "", label(words.visit_types, v.visit_type),
               v.area or "", label(words.outcomes, v.outcome),
               "; ".join(label(words.materials, m) for m in v.materials), v.advice_given or "",
               purchase, asked, follow_up_count]
        if include_notes:
            row.append(v.officer_notes or "")
        yield row


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
        with Session(engine) as session:
            without_jit(session)
            yield from csv_chunks(header, _rows(session, words, operation_id, area, include_notes),
                                  CHUNK)
    return chunks()
