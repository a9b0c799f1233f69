"""The one CSV writer: every CSV the portal produces goes through here.

Spreadsheets run cells that start with = + - @ (or a tab or carriage return before one) as
formulas, so any text cell starting with those gets a leading apostrophe. Files start with a
UTF-8 byte-order mark, without which Excel shows names and dashes as mojibake.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell value that a spreadsheet will show, never evaluate."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole CSV as text, BOM first; encode it as UTF-8 to send or store."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]],
               rows_per_chunk: int = 1000) -> Iterator[str]:
    """The same CSV as csv_text, as pieces of text to stream: the BOM and header, then
    rows_per_chunk rows at a time, so no more than one chunk is ever held in memory."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write(BOM)
    writer.writerow([neutralise(h) for h in header])
    waiting = 0
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        waiting += 1
        if waiting >= rows_per_chunk:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            waiting = 0
    yield out.getvalue()
