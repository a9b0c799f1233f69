"""Horizontal bar charts drawn as SVG by templates/visits/_chart.html.

The geometry is worked out here so the template only places shapes. Every chart has a text
title and description, and the page shows the same figures in a table.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 400  # viewBox units; the SVG scales to its container, down to a 360-pixel phone
ROW = 62
BAR = 22
LABEL_GAP = 28  # the label's baseline sits above its bar
VALUE_ROOM = 52


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y_label: int
    y_bar: int
    width: float


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int


def bar_chart(chart_id: str, title: str, counts) -> BarChart:
    """A chart of (label, value) counts, longest bar scaled to the space left for values."""
    counts = list(counts)
    biggest = max((c.value for c in counts), default=0)
    room = WIDTH - VALUE_ROOM
    bars = []
    for i, count in enumerate(counts):
        top = i * ROW
        width = (room * count.value / biggest) if biggest else 0
        bars.append(Bar(count.label, count.value, top + 20, top + LABEL_GAP,
                        round(max(width, 2 if count.value else 0), 1)))
    description = "; ".join(f"{c.label}: {c.value}" for c in counts)
    return BarChart(chart_id, title, description, bars, WIDTH, max(ROW * len(counts), ROW))
