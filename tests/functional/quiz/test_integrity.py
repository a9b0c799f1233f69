"""Quiz integrity: nothing on a page gives the answer away, and a pass means what it says."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import select

from compliance.extensions import db
from compliance.models import AttemptAnswer, Question, QuizAttempt
from tests.functional.training.test_routes import (
    answer_all,
    answers,
    content,  # noqa: F401 - fixture
    learner,  # noqa: F401 - fixture
    open_attempt,
    read_all,
)

VALUE = re.compile(r'name="answer"[^>]*?value="([^"]*)"')


def take_blind(client, user, pick: Callable[[list[int]], int]) -> QuizAttempt:
    """Start an attempt and answer every question by form value alone, never reading it."""
    client.post("/training/quiz")
    attempt = open_attempt(user)
    for position in range(1, attempt.total + 1):
        page = client.get(f"/training/quiz/{attempt.id}/{position}").text
        values = [int(v) for v in VALUE.findall(page)]
        assert sorted(values) == list(range(len(values)))  # positions, nothing else
        client.post(f"/training/quiz/{attempt.id}/{position}", data={"answer": [pick(values)]})
    client.post(f"/training/quiz/{attempt.id}/check")
    db.session.expire_all()
    return db.session.get(QuizAttempt, attempt.id)


@pytest.mark.parametrize("rule", [min, max], ids=["lowest value", "highest value"])
def test_blind_value_picking_scores_at_chance(app, client, content, learner, monkeypatch,  # noqa: F811
                                              rule):
    monkeypatch.setitem(app.config, "QUIZ_COOLING_OFF_MINUTES", 0)
    read_all(client)
    right = total = 0
    chance = 0.0
    for _ in range(10):
        attempt = take_blind(client, learner, rule)
        assert attempt.passed is False
        right += attempt.score
        total += attempt.total
        for a in answers(attempt):
            question = db.session.get(Question, a.question_id)
            if question.kind == "single":  # one guess among n options
                chance += 1 / len(question.options)
    # Chance is about a quarter (one guess per question); the bank's "right option first"
    # order would give about 80% if form values followed it.
    print(f"blind {rule.__name__}: {right}/{total} right, chance {chance:.1f}")
    assert right / total < 0.45, (right, total)
    assert abs(right - chance) < 4 * (chance ** 0.5) + 3, (right, chance)


def test_the_right_option_sits_at_every_position(client, content, learner):  # noqa: F811
    """Options are shuffled per attempt: a right answer's place on the page varies."""
    read_all(client)
    client.post("/training/quiz")
    attempt = open_attempt(learner)
    places = set()
    for a in answers(attempt):
        question = db.session.get(Question, a.question_id)
        if question.kind == "single":
            (right,) = question.correct_indexes
            places.add(a.option_order.index(right))
    assert len(places) >= 3


def test_a_fail_shows_what_to_read_again_but_not_the_right_options(
        app, client, content, learner, monkeypatch):  # noqa: F811
    read_all(client)
    client.post("/training/quiz")
    attempt = open_attempt(learner)
    answer_all(client, attempt, right=False)
    result = client.post(f"/training/quiz/{attempt.id}/check", follow_redirects=True).text
    assert "Questions to look at again" in result and "Read again:" in result
    assert "Right answer:" not in result
    for a in answers(attempt):
        question = db.session.get(Question, a.question_id)
        for option in question.options:
            if option["correct"] and option["text"] not in question.explanation:
                # The right option's words appear nowhere except where the learner chose them.
                assert result.count(f"{option['text']};") == 0
    # A service that wants Moodle's behaviour can show them.
    monkeypatch.setitem(app.config, "QUIZ_SHOW_RIGHT_ANSWERS_ON_FAIL", True)
    assert "Right answer:" in client.get(f"/training/quiz/{attempt.id}/result").text


def test_the_next_attempt_draws_questions_not_just_seen(app, client, content, learner,  # noqa: F811
                                                         monkeypatch):
    monkeypatch.setitem(app.config, "QUIZ_COOLING_OFF_MINUTES", 0)
    read_all(client)
    first = take_blind(client, learner, min)
    second = take_blind(client, learner, min)
    seen = {db.session.get(Question, a.question_id).key for a in answers(first)}
    again = {db.session.get(Question, a.question_id).key for a in answers(second)}
    assert len(seen) == 15 and seen.isdisjoint(again)


def test_answers_are_stored_as_the_banks_options_whatever_the_page_order(
        client, content, learner):  # noqa: F811
    read_all(client)
    client.post("/training/quiz")
    attempt = open_attempt(learner)
    first = answers(attempt)[0]
    client.post(f"/training/quiz/{attempt.id}/1", data={"answer": [2]})
    db.session.refresh(first)
    assert first.chosen == [first.option_order[2]]
    page = client.get(f"/training/quiz/{attempt.id}/1").text
    assert re.search(r'value="2"\s+checked|checked[^>]*value="2"', page)
    stored = db.session.scalars(select(AttemptAnswer.chosen).where(
        AttemptAnswer.attempt_id == attempt.id, AttemptAnswer.position == 1)).one()
    assert stored == [first.option_order[2]]
