"""Whole numbers typed by strangers: ids, page numbers and versions, within the database's range.

`str.isdigit()` accepts "²" and `int()` accepts 4,000 digits; neither fits an INTEGER column
(PostgreSQL stops at 2,147,483,647), so such values are treated as absent, never passed on.
"""

from __future__ import annotations

import re

from werkzeug.routing import IntegerConverter

DB_INT_MAX = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_int(value: object, *, minimum: int = 0, maximum: int = DB_INT_MAX) -> int | None:
    """The whole number in value, or None unless it is plain ASCII digits within range."""
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


class DatabaseIntConverter(IntegerConverter):
    """`<int:...>` route parts: ASCII digits that fit an INTEGER column, else the route is 404."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
