"""The trend chart: plain geometry for an SVG line chart of scores over time (no database).

The template draws it with presentation attributes only (the CSP allows no inline styles), and
prints the same figures in a table, so the chart is never the only way to read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 44, 28, 48  # room for labels centred on the end points
BANDS = ((85, "Green from 85%"), (60, "Amber from 60%"))
COLOURS = {"green": "#0f7a52", "amber": "#8a4b00", "red": "#ca3535"}


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # the date, for the text alternative
    percent: int
    rating: str

    @property
    def colour(self) -> str:
        return COLOURS.get(self.rating, "#0b0c0c")


@dataclass(frozen=True)
class Chart:
    points: list[Point]
    gridlines: list[tuple[float, int]]  # (y, percent)
    bands: list[tuple[float, str]]  # (y, label)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (x, date) on the time axis
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_right(self) -> int:
        return WIDTH - RIGHT

    @property
    def axis_y(self) -> float:
        return _y(0)


def _y(percent: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - percent / 100)


MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)
MAX_TICKS = 6


def _months(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(months: int) -> date:
    return date(months // 12, months % 12 + 1, 1)


def time_ticks(start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """Dates for the time axis between start and end: the first of a month every 1, 2, 3, 6...
    months (as few steps as keep to MAX_TICKS), each labelled once; days for a short span."""
    first, last = start.date(), end.date()
    total = (last - first).days
    if total < 62:  # under two months: every week or so, from the day after the first
        step = max(7, -(-total // MAX_TICKS // 7) * 7)
        return [(datetime.combine(first + timedelta(days=n), datetime.min.time(), UTC),
                 f"{(first + timedelta(days=n)).day} {(first + timedelta(days=n)):%b}")
                for n in range(step, total + 1, step)]
    lo, hi = _months(first) + 1, _months(last)  # month starts inside the span
    step = next((s for s in MONTH_STEPS if (hi - lo) // s + 1 <= MAX_TICKS), MONTH_STEPS[-1])
    lo += -lo % step  # January, April... for quarters; January for years
    labels = "%Y" if step >= 12 else "%b %Y"
    return [(datetime.combine(_month_start(m), datetime.min.time(), UTC),
             _month_start(m).strftime(labels)) for m in range(lo, hi + 1, step)]


def trend(scores: Sequence[tuple[datetime, int, str]]) -> Chart:
    """Scores as (submitted_at, percent, rating), oldest first, placed along x by date (to
    scale), with the time axis labelled at regular dates, none repeated."""
    span = WIDTH - LEFT - RIGHT
    if not scores:
        return Chart(points=[], gridlines=[], bands=[])
    start, end = scores[0][0], scores[-1][0]
    seconds = (end - start).total_seconds()

    def x_of(when: datetime) -> float:
        return LEFT + (span / 2 if seconds <= 0 else span * (when - start).total_seconds()
                       / seconds)

    points = [Point(x_of(when), _y(percent), f"{when.day} {when:%B %Y}", percent, rating)
              for when, percent, rating in scores]
    ticks = [(x_of(when), label) for when, label in time_ticks(start, end)
             if start <= when <= end] if seconds > 0 else []
    if not ticks:  # a few days apart at most: the dates of the first and last points
        first = (points[0].x, f"{start.day} {start:%b %Y}")
        last = (points[-1].x, f"{end.day} {end:%b %Y}")
        ticks = [first] if last[1] == first[1] else [first, last]
    return Chart(points=points,
                 gridlines=[(_y(p), p) for p in (0, 25, 50, 75, 100)],
                 bands=[(_y(p), label) for p, label in BANDS],
                 ticks=ticks)
