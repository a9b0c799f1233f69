"""Officers type and read visit times in UK time; the database keeps UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _uk() -> tzinfo:
    try:
        return ZoneInfo("Europe/London")
    except ZoneInfoNotFoundError:  # no time zone database installed: UTC is the safe reading
        return UTC


UK = _uk()


def from_uk(day: date, clock: time) -> datetime:
    """A date and time as typed in the UK, as an aware UTC datetime."""
    return datetime.combine(day, clock, tzinfo=UK).astimezone(UTC)


def uk_time(value: datetime | None) -> datetime | None:
    return value.astimezone(UK) if value is not None else None


def uk_datetime_text(value: datetime | None) -> str:
    """A moment as people read it in the UK: "21 November 2026, 15:00" ("" for none)."""
    local = uk_time(value)
    return f"{local.day} {local:%B %Y, %H:%M}" if local else ""


def uk_today() -> date:
    return datetime.now(UK).date()
