"""UK time for the refusals register: entries are typed and shown in UK wall-clock time, and
weeks run Monday to Sunday in the UK, stored as UTC ranges."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from compliance.models.base import utcnow

UK = ZoneInfo("Europe/London")


def to_uk(value: datetime) -> datetime:
    return value.astimezone(UK)


def from_uk(local: datetime) -> datetime:
    """A wall-clock time in the UK (as typed into the form) as an aware UTC datetime."""
    return local.replace(tzinfo=UK).astimezone(UTC)


def uk_today(now: datetime | None = None) -> date:
    return to_uk(now or utcnow()).date()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_bounds(start: date) -> tuple[datetime, datetime]:
    """A Monday-to-Sunday UK week as a UTC [start, end) range."""
    begin = datetime.combine(start, time(), UK)
    end = datetime.combine(start + timedelta(days=7), time(), UK)
    return begin.astimezone(UTC), end.astimezone(UTC)
