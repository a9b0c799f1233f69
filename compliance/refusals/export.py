"""The register as plain data: a CSV, and the dict the PDF is rendered from (no ORM objects
reach the PDF template)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from compliance.csv_export import csv_text
from compliance.models import Premises, RefusalSignOff
from compliance.refusals.clock import monday_of, to_uk
from compliance.refusals.services import REASONS, Entry

CSV_HEADER = ["Entry", "Date and time (UK)", "Product or category", "Reason", "Description",
              "Refused by", "Recorded by", "Recorded at (UK)", "Corrects entry",
              "Corrected by entry", "Correction reason", "Week starting", "Week signed off by",
              "Signed off at (UK)"]


def _uk(value: datetime | None) -> str:
    return to_uk(value).strftime("%Y-%m-%d %H:%M") if value else ""


def entry_row(entry: Entry, signed: dict[date, RefusalSignOff]) -> dict[str, Any]:
    r = entry.refusal
    week = monday_of(to_uk(r.occurred_at).date())
    sign_off = signed.get(week)
    return {
        "id": r.id, "occurred_at": _uk(r.occurred_at), "product": r.product,
        "reason": REASONS.get(r.reason, r.reason), "description": r.description or "",
        "refused_by": r.refused_by_name, "recorded_by": r.recorded_by.name,
        "recorded_at": _uk(r.recorded_at), "corrects": r.corrects_id or "",
        "corrected_by": entry.corrected_by_id or "",
        "correction_reason": r.correction_reason or "", "week": week.isoformat(),
        "signed_by": sign_off.signed_by.name if sign_off else "",
        "signed_at": _uk(sign_off.signed_at) if sign_off else "",
    }


def register_csv(entries: list[Entry], signed: dict[date, RefusalSignOff]) -> str:
    keys = ["id", "occurred_at", "product", "reason", "description", "refused_by",
            "recorded_by", "recorded_at", "corrects", "corrected_by", "correction_reason",
            "week", "signed_by", "signed_at"]
    rows = (entry_row(entry, signed) for entry in entries)
    return csv_text(CSV_HEADER, ([row[k] for k in keys] for row in rows))


def register_data(premises: Premises, business: str, entries: list[Entry],
                  signed: dict[date, RefusalSignOff], generated_at: datetime) -> dict[str, Any]:
    """Everything the PDF shows, as plain strings and numbers."""
    return {
        "business": business, "premises": premises.name, "address": premises.address,
        "generated_at": _uk(generated_at),
        "entries": [entry_row(e, signed) for e in entries],
        "sign_offs": [{"week": s.week_start.isoformat(), "signed_by": s.signed_by.name,
                       "signed_at": _uk(s.signed_at), "entries": s.entries,
                       "note": s.note or ""}
                      for s in sorted(signed.values(), key=lambda s: s.week_start)],
    }
