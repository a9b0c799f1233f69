"""Pure quiz rules: which questions an attempt draws, and how it is scored. No database."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Result:
    score: int
    total: int
    percent: int
    passed: bool


def is_correct(chosen: frozenset[int] | None, correct: frozenset[int]) -> bool:
    """Right only with all of the correct options and none of the others."""
    return chosen is not None and chosen == correct


def score(answers: Sequence[tuple[frozenset[int] | None, frozenset[int]]],
          pass_mark: int) -> Result:
    """Score (chosen, correct) pairs against a pass mark in percent."""
    total = len(answers)
    right = sum(is_correct(chosen, correct) for chosen, correct in answers)
    percent = round(100 * right / total) if total else 0
    # Compare exactly (right/total >= pass_mark/100), not the rounded percentage.
    passed = total > 0 and right * 100 >= pass_mark * total
    return Result(right, total, percent, passed)


def draw(pool: Sequence[tuple[str, T]], n: int, rng: random.Random,
         prefer_not: Collection[T] = ()) -> list[T]:
    """Pick n items from (module, item) pairs, every module represented where possible.

    Items in `prefer_not` (questions the learner has just seen) are drawn only when the pool
    has too few others.
    """
    avoid = set(prefer_not)
    by_module: dict[str, list[T]] = defaultdict(list)
    for module, item in pool:
        by_module[module].append(item)
    modules = sorted(by_module)
    rng.shuffle(modules)
    chosen: list[T] = []
    for module in modules[:n]:
        items = by_module[module]
        chosen.append(rng.choice([i for i in items if i not in avoid] or items))
    rest = [item for _m, item in pool if item not in chosen]
    fresh = [item for item in rest if item not in avoid]
    picked = rng.sample(fresh, min(n - len(chosen), len(fresh)))
    stale = [item for item in rest if item in avoid]
    picked += rng.sample(stale, min(n - len(chosen) - len(picked), len(stale)))
    chosen += picked
    rng.shuffle(chosen)
    return chosen


def shuffled_order(count: int, rng: random.Random) -> list[int]:
    order = list(range(count))
    rng.shuffle(order)
    return order
