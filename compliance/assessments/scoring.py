"""Pure self-assessment rules: which items apply, the score, the rating, the action plan and
when the next assessment is due. No database: inputs are plain items and answers.

The weights follow the domain reference, section (c): Critical 5, High 3, Medium 2, Low 1.
Score = points met / points applicable, where Partly earns half an item's points and Not
applicable items leave the sum. Any Critical item answered No or Partly makes the rating red,
whatever the score, because the reference says a failed Critical item needs follow-up.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

WEIGHT_POINTS = {"critical": 5, "high": 3, "medium": 2, "low": 1}
WEIGHT_ORDER = ("critical", "high", "medium", "low")
ANSWERS = ("yes", "partly", "no", "na")
CREDIT = {"yes": 2, "partly": 1, "no": 0}  # in half points, so sums stay exact
GREEN_AT = 85  # percent, and no Critical item unmet
AMBER_AT = 60
MONTHS_UNTIL_DUE = {"green": 12, "amber": 3, "red": 3}
# Stock that makes a Scotland premises a dealer in non-domestic knives (needs a licence).
NON_DOMESTIC_STOCK = frozenset({"craft-diy", "garden-outdoor", "razors-blades",
                                "swords-collectables"})


class ScoringError(ValueError):
    """The answers cannot be scored; `keys` names the items at fault."""

    def __init__(self, keys: Sequence[str]) -> None:
        super().__init__(", ".join(keys))
        self.keys = list(keys)


class Incomplete(ScoringError):
    """Some items have no answer."""


class NotApplicableRefused(ScoringError):
    """Not applicable was given for an item the premises profile says applies."""


@dataclass(frozen=True)
class Item:
    key: str
    number: int
    weight: str
    na_allowed: bool = False
    question: str = ""
    how_to_fix: str = ""
    source_tags: tuple[str, ...] = ()

    @property
    def points(self) -> int:
        return WEIGHT_POINTS[self.weight]


@dataclass(frozen=True)
class Unmet:
    item: Item
    answer: str  # no | partly

    @property
    def critical(self) -> bool:
        return self.item.weight == "critical"


@dataclass(frozen=True)
class Result:
    points_met: float
    points_applicable: int
    percent: int
    rating: str  # green | amber | red
    unmet: tuple[Unmet, ...]

    @property
    def critical_unmet(self) -> bool:
        return any(u.critical for u in self.unmet)


def item_asked(applicability: str, profile: Mapping) -> bool:
    """Whether the premises is asked the item at all: the Scottish knife dealer's licence is
    a question for Scottish premises only (elsewhere there is no such licence to hold)."""
    return applicability != "scotland" or profile.get("jurisdiction") == "scotland"


def item_applies(applicability: str, profile: Mapping) -> bool:
    """Whether the premises profile says a "where applicable" item applies."""
    if applicability == "online_or_phone":
        return bool(profile.get("sells_remotely"))
    if applicability == "click_and_collect":
        return bool(profile.get("click_and_collect"))
    if applicability == "scotland":
        kinds = set(profile.get("stock_kinds") or [])
        # With no stock recorded we cannot rule the licence out, so it applies.
        return profile.get("jurisdiction") == "scotland" and (
            not kinds or bool(kinds & NON_DOMESTIC_STOCK))
    return True  # "always", and anything unknown: never let an item drop out by accident


def action_plan(items: Sequence[Item], answers: Mapping[str, str]) -> tuple[Unmet, ...]:
    """Every item answered No or Partly, Critical first, then by item number."""
    unmet = [Unmet(i, answers[i.key]) for i in items if answers.get(i.key) in ("no", "partly")]
    unmet.sort(key=lambda u: (WEIGHT_ORDER.index(u.item.weight), u.item.number))
    return tuple(unmet)


def percent_of(half_points_met: int, points_applicable: int) -> int:
    """Whole percent, rounded down, so 84.9 % never shows as 85 %."""
    if points_applicable == 0:
        return 0
    return (half_points_met * 100) // (points_applicable * 2)


def rating_for(half_points_met: int, points_applicable: int, critical_unmet: bool) -> str:
    """Green at 85 % or more, amber at 60 % or more, both only with every Critical item met."""
    if critical_unmet or points_applicable == 0:
        return "red"
    if half_points_met * 100 >= GREEN_AT * points_applicable * 2:
        return "green"
    if half_points_met * 100 >= AMBER_AT * points_applicable * 2:
        return "amber"
    return "red"


def score(items: Sequence[Item], answers: Mapping[str, str]) -> Result:
    """Score a complete set of answers (yes | partly | no | na) keyed by item key."""
    missing = [i.key for i in items if answers.get(i.key) not in ANSWERS]
    if missing:
        raise Incomplete(missing)
    refused = [i.key for i in items if answers[i.key] == "na" and not i.na_allowed]
    if refused:
        raise NotApplicableRefused(refused)
    applicable = [i for i in items if answers[i.key] != "na"]
    half_met = sum(i.points * CREDIT[answers[i.key]] for i in applicable)
    total = sum(i.points for i in applicable)
    unmet = action_plan(items, answers)
    critical = any(u.critical for u in unmet)
    return Result(points_met=half_met / 2, points_applicable=total,
                  percent=percent_of(half_met, total),
                  rating=rating_for(half_met, total, critical), unmet=unmet)


def add_months(value: datetime, months: int) -> datetime:
    """The same day `months` later; the 31st becomes the last day of a shorter month."""
    index = value.month - 1 + months
    year, month = value.year + index // 12, index % 12 + 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


def next_due(submitted_at: datetime, rating: str) -> datetime:
    """12 months after a green assessment, 3 months after an amber or red one."""
    return add_months(submitted_at, MONTHS_UNTIL_DUE[rating])


def training_answer(trained: int, staff: int) -> str:
    """All active staff with a current quiz pass: yes; at least half: partly; else no."""
    if staff == 0 or trained == 0:
        return "no"
    if trained >= staff:
        return "yes"
    return "partly" if trained * 2 >= staff else "no"


def refusals_answer(entries: int, sign_offs: int) -> str:
    """Entries and a manager's sign-off in the last 30 days: yes; one of the two: partly."""
    if entries and sign_offs:
        return "yes"
    return "partly" if entries or sign_offs else "no"
