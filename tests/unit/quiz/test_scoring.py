import random

import pytest

from compliance.quiz.scoring import draw, is_correct, score, shuffled_order

F = frozenset


@pytest.mark.parametrize("chosen, correct, expected", [
    (F({1}), F({1}), True),
    (F({0}), F({1}), False),
    (F({0, 2}), F({0, 2}), True),
    (F({0}), F({0, 2}), False),          # only some of the right answers
    (F({0, 1, 2}), F({0, 2}), False),    # the right answers plus a wrong one
    (None, F({1}), False),               # not answered
    (F(), F({1}), False),
])
def test_a_question_is_right_only_with_all_and_only_the_right_options(chosen, correct, expected):
    assert is_correct(chosen, correct) is expected


@pytest.mark.parametrize("right, total, pass_mark, percent, passed", [
    (12, 15, 80, 80, True),     # exactly the pass mark
    (11, 15, 80, 73, False),
    (15, 15, 80, 100, True),
    (0, 15, 80, 0, False),
    (4, 5, 80, 80, True),
    (3, 4, 80, 75, False),
    (7, 10, 70, 70, True),      # the pass mark is a setting
    (0, 0, 80, 0, False),
])
def test_score_and_pass_mark(right, total, pass_mark, percent, passed):
    answers = [(F({0}), F({0}))] * right + [(F({1}), F({0}))] * (total - right)
    result = score(answers, pass_mark)
    assert (result.score, result.total, result.percent, result.passed) == (
        right, total, percent, passed)


def test_pass_mark_is_compared_exactly_not_after_rounding():
    # 79.5 % rounds to 80 but is below an 80 % pass mark.
    answers = [(F({0}), F({0}))] * 159 + [(F({1}), F({0}))] * 41
    assert score(answers, 80).percent == 80 and not score(answers, 80).passed


def _pool(modules: int, per_module: int) -> list[tuple[str, str]]:
    return [(f"m{m}", f"m{m}-q{q}") for m in range(modules) for q in range(per_module)]


@pytest.mark.parametrize("seed", range(20))
def test_draw_represents_every_module_when_it_can(seed):
    drawn = draw(_pool(10, 8), 15, random.Random(seed))
    assert len(drawn) == len(set(drawn)) == 15
    assert {q.split("-")[0] for q in drawn} == {f"m{m}" for m in range(10)}


def test_draw_with_more_modules_than_questions_takes_one_per_module():
    drawn = draw(_pool(20, 3), 15, random.Random(1))
    assert len({q.split("-")[0] for q in drawn}) == 15


def test_draw_from_a_small_pool_takes_what_there_is():
    assert sorted(draw(_pool(2, 3), 15, random.Random(1))) == sorted(q for _m, q in _pool(2, 3))


def test_draws_differ_between_attempts():
    pool = _pool(10, 8)
    assert draw(pool, 15, random.Random(1)) != draw(pool, 15, random.Random(2))


def test_shuffled_order_is_a_permutation():
    assert sorted(shuffled_order(5, random.Random(3))) == [0, 1, 2, 3, 4]
