"""A submitted visit's edit history in words, for the visit page.

VisitChange.changes keeps the raw values as they were saved (column names, an operation's id,
UTC timestamps, option codes) and stays that way; this turns them into what a person reads,
at display time, in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.i18n import lazy_gettext as _l
from compliance.models import Operation, VisitChange
from compliance.visits.labels import (
    FINDINGS,
    FORMER_VISIT_TYPES,
    MATERIALS,
    OUTCOMES,
    VISIT_TYPES,
    label,
)
from compliance.visits.timezone import uk_datetime_text

Names = Mapping[int, str]


@dataclass(frozen=True)
class ChangedField:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    changed_at: datetime
    changed_by: str
    reason: str
    fields: list[ChangedField]


def _text(value: Any, _names: Names) -> str:
    return str(value)


def _when(value: Any, _names: Names) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return uk_datetime_text(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _choice(table: dict) -> Callable[[Any, Names], str]:
    return lambda value, _names: label(table, value)


def _materials(value: Any, _names: Names) -> str:
    return ", ".join(label(MATERIALS, code) for code in value) or str(_l("None"))


def _operation(value: Any, names: Names) -> str:
    return names.get(value) or _("Operation %(id)s (no longer listed)", id=value)


def _yes_no(value: Any, _names: Names) -> str:
    return str(_l("Yes") if value else _l("No"))


def _sale(value: Any, _names: Names) -> str:
    return str(_l("Sold: failed") if value else _l("Refused: passed"))


# Stored name -> label and how to word a value, in the order of the visit page. ITEMS only
# holds the place of the checklist findings ("item 3", "item 3 note"), worded in _field.
ITEMS = "item"
FIELDS: dict[str, tuple[Any, Callable[[Any, Names], str]]] = {
    "visited_at": (_l("Date and time"), _when),
    "visit_type": (_l("Type"), _choice({**FORMER_VISIT_TYPES, **VISIT_TYPES})),
    "operation_id": (_l("Operation"), _operation),
    "area": (_l("Area"), _text),
    "officers_present": (_l("Officers present"), _text),
    "person_spoken_to": (_l("Person spoken to"), _text),
    "person_role": (_l("Their role"), _text),
    ITEMS: ("", _text),
    "test purchase sold": (_l("Test purchase result"), _sale),
    "test purchase volunteer age": (_l("Volunteer's age"), _text),
    "test purchase item attempted": (_l("Item they tried to buy"), _text),
    "test purchase id asked": (_l("ID asked for"), _yes_no),
    "test purchase staff member": (_l("Staff member"), _text),
    "test purchase letter sent": (_l("Outcome letter sent"), _yes_no),
    "outcome": (_l("Outcome"), _choice(OUTCOMES)),
    "materials": (_l("Materials given"), _materials),
    "advice_given": (_l("Advice given"), _text),
    "officer_notes": (_l("Officer-only notes"), _text),
}
ORDER = {key: position for position, key in enumerate(FIELDS)}
ITEM = re.compile(r"item (\d+)( note)?")
BLANK = _l("blank")


# Changes to these are shown only to those who may see officer-only details.
PRIVATE_FIELDS = frozenset({"officer_notes", "test purchase volunteer age"})


def present_history(changes: Iterable[VisitChange], *,
                    show_private: bool = True) -> list[HistoryEntry]:
    """The history as people read it; the operations it names are loaded in one query."""
    changes = list(changes)
    if not show_private:
        changes = [_without_private(c) for c in changes]
    names = operation_names({value for change in changes
                             for value in _operation_ids(change.changes)})
    return [HistoryEntry(c.changed_at, c.changed_by.name, c.reason, describe(c.changes, names))
            for c in changes]


def _without_private(change: VisitChange):
    return SimpleNamespace(changed_at=change.changed_at, changed_by=change.changed_by,
                           reason=change.reason,
                           changes={k: v for k, v in change.changes.items()
                                    if k not in PRIVATE_FIELDS})


def operation_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Operation.id, Operation.name)
                                   .where(Operation.id.in_(ids))).all())


def describe(changes: Mapping[str, Any], names: Names) -> list[ChangedField]:
    """One stored change set ({field: {"from", "to"}}), field by field in page order."""
    return [_field(key, change, names)
            for key, change in sorted(changes.items(), key=lambda kv: _position(kv[0]))]


def _field(key: str, change: Mapping[str, Any], names: Names) -> ChangedField:
    empty = BLANK
    if item := ITEM.fullmatch(key):
        number = item.group(1)
        if item.group(2):
            title, word = _("Checklist item %(number)s, note", number=number), _text
        else:  # no finding means the item was not checked
            title, word = _("Checklist item %(number)s", number=number), _choice(FINDINGS)
            empty = FINDINGS["not_checked"]
    elif key in FIELDS:
        title, word = str(FIELDS[key][0]), FIELDS[key][1]
    else:  # a field this code does not know yet: readable, never an error
        title, word = key.replace("_", " ").capitalize(), _text
    return ChangedField(title, _value(change.get("from"), word, names, empty),
                        _value(change.get("to"), word, names, empty))


def _value(value: Any, word: Callable[[Any, Names], str], names: Names, empty: Any) -> str:
    return str(empty) if value is None or value == "" else word(value, names)


def _position(key: str) -> tuple[int, int, int, str]:
    if item := ITEM.fullmatch(key):
        return (ORDER[ITEMS], int(item.group(1)), 1 if item.group(2) else 0, "")
    return (ORDER.get(key, len(ORDER)), 0, 0, key)


def _operation_ids(changes: Mapping[str, Any]) -> Iterable[int]:
    change = changes.get("operation_id") or {}
    return (v for v in (change.get("from"), change.get("to"))
            if isinstance(v, int) and not isinstance(v, bool))
