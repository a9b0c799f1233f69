"""The trend chart: plain geometry for an SVG line chart of scores over time (no database).

The template draws it with presentation attributes only (the CSP allows no inline styles), and
prints the same figures in a table, so the chart is never the only way to read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 44, 28, 48  # room for labels centred on the end points
BANDS = ((85, "Green from 85%"), (60, "Amber from 60%"))
COLOURS = {"green": "#0f7a52", "amber": "#8a4b00", "red": "#ca3535"}


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # the date, as printed under the axis
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


def trend(scores: Sequence[tuple[datetime, int, str]]) -> Chart:
    """Scores as (submitted_at, percent, rating), oldest first; evenly spaced along x."""
    span = WIDTH - LEFT - RIGHT
    count = len(scores)
    points = []
    for n, (when, percent, rating) in enumerate(scores):
        x = LEFT + (span / 2 if count == 1 else span * n / (count - 1))
        points.append(Point(x, _y(percent), when.strftime("%b %Y"), percent, rating))
    return Chart(points=points,
                 gridlines=[(_y(p), p) for p in (0, 25, 50, 75, 100)],
                 bands=[(_y(p), label) for p, label in BANDS])
