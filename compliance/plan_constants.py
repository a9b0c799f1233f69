"""A statement's fixed words written into its SQL text, so PostgreSQL can keep one plan for it.

psycopg prepares a statement that a connection runs five times; PostgreSQL then weighs a
generic plan (made once, for any parameters) against the plans it makes for each run's
values, and keeps planning afresh while the generic one looks dearer. SQLAlchemy sends every
constant as a parameter: a generic plan for `status = $1` cannot use a partial index
(`WHERE status <> 'closed'`) nor the statistics of one status, so such a statement was planned
again on every run. The manager home's certificates statement spent 0.8 ms planning to run for
0.3; with its words in the text it took a third to a half of the time (replayed, old and new in
turn: 1.3 to 3.0 ms became 0.35 to 1.5, as the machine's speed varied).

`with_fixed_words(statement)` turns the statement's anonymous string constants ('submitted',
'staff', 'premises', `IN ('open', 'returned')`: values written in the code) into literals
rendered at execution (SQLAlchemy's literal_execute: correct with its compiled-statement
cache, and quoted by it).
Named parameters (`bindparam("todo_premises")`: values bound per request) and numbers stay
parameters. Only for statements built once, run often, whose every anonymous string is
written in the code (never a value a user typed), and whose plans were measured better so
(not all are: a generic plan can be worse).
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

S = TypeVar("S")


def with_fixed_words(statement: S) -> S:
    """A copy of the statement whose anonymous string constants render as literals."""

    def replace(element):
        if (isinstance(element, BindParameter) and element.unique
                and not element.literal_execute and element.callable is None
                and _words(element.value, element.expanding)):
            fixed = element._clone()
            fixed.literal_execute = True
            return fixed
        return None

    return visitors.replacement_traverse(statement, {}, replace)


def _words(value, expanding: bool) -> bool:
    """A string, or (in an `IN`) a list of strings: ('open', 'returned')."""
    if expanding:
        return (isinstance(value, (list, tuple)) and bool(value)
                and all(isinstance(v, str) for v in value))
    return isinstance(value, str)
