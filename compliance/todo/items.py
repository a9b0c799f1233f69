"""A to-do item on a home page, and the helpers the role modules share."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

# Severities, most pressing first. The page shows each as a labelled tag, never colour alone.
OVERDUE, DUE, TODO, DONE, INFO = "overdue", "due", "todo", "done", "info"
OPEN = (OVERDUE, DUE, TODO)  # what counts as something to do


@dataclass(frozen=True)
class ToDo:
    """One thing a person should do (or know), with where to do it."""

    kind: str  # e.g. "register-weeks", "follow-up", "training"
    title: str
    detail: str
    link: str | None
    severity: str = TODO
    group: str = ""  # the heading it sits under (a premises name, "Your training")
    due: date | None = None
    # A reminder's cause (see compliance.reminders): "We emailed you about this on ..."
    cause_key: str | None = None
    reminded_at: datetime | None = None
    chase_user_id: int | None = None  # a member of staff a manager can remind
    chased_at: datetime | None = None  # when a manager last emailed them

    @property
    def overdue(self) -> bool:
        return self.severity == OVERDUE

    def with_reminder(self, sent: dict[str, datetime]) -> ToDo:
        at = sent.get(self.cause_key) if self.cause_key else None
        return replace(self, reminded_at=at) if at else self


def day(value: date | datetime) -> str:
    return value.strftime("%-d %B %Y")


def groups(items: list[ToDo]) -> list[tuple[str, list[ToDo]]]:
    """Items under their headings, headings in first-seen order."""
    result: dict[str, list[ToDo]] = {}
    for item in items:
        result.setdefault(item.group, []).append(item)
    return list(result.items())
