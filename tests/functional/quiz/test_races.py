"""Quiz races against committed data: concurrent starts and submits have one effect, and every
caller gets a normal page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Certificate, QuizAttempt, Role, TrainingCompletion
from compliance.models.base import utcnow
from compliance.quiz import services as quiz
from compliance.training import services as training
from compliance.training.content import load_content
from tests.factories import PremisesFactory, UserFactory
from tests.races import run_concurrently, signed_in_client

pytestmark = pytest.mark.no_db
RACERS = 6


@pytest.fixture
def learner(app, committed_db):
    load_content()
    premises = PremisesFactory()
    user = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
    for module in training.current_modules(training.jurisdiction_for(user)):
        training.mark_read(user, module, Actor(user))
    db.session.commit()
    return user


def count(model, **where) -> int:
    db.session.expire_all()
    found = db.session.scalar(select(func.count()).select_from(model).filter_by(**where))
    db.session.commit()  # end the read: on SQLite it holds the write lock
    return found


def test_concurrent_starts_open_one_attempt(app, learner):
    clients = [signed_in_client(app, learner) for _ in range(RACERS)]
    codes = run_concurrently(RACERS, lambda i: clients[i].post("/training/quiz").status_code)
    assert codes == [302] * RACERS
    assert count(QuizAttempt, user_id=learner.id) == 1


def test_concurrent_starts_cannot_skip_the_cooling_off(app, learner):
    failed = QuizAttempt(user_id=learner.id, jurisdiction="england-wales", total=15,
                         pass_mark=80, submitted_at=utcnow() - timedelta(minutes=1), score=3,
                         passed=False)
    db.session.add(failed)
    db.session.commit()
    clients = [signed_in_client(app, learner) for _ in range(RACERS)]
    codes = run_concurrently(RACERS, lambda i: clients[i].post("/training/quiz").status_code)
    assert codes == [302] * RACERS
    assert count(QuizAttempt, user_id=learner.id) == 1  # still only the failed one


def test_concurrent_submits_give_one_completion_and_one_certificate(app, learner):
    attempt = quiz.load_attempt(quiz.start_attempt(learner, Actor(learner)).id, learner)
    for answer in attempt.answers:
        quiz.save_answer(attempt, answer, [answer.option_order.index(i)
                                           for i in sorted(answer.question.correct_indexes)])
    db.session.commit()
    clients = [signed_in_client(app, learner) for _ in range(RACERS)]
    result = f"/training/quiz/{attempt.id}/result"
    url = f"/training/quiz/{attempt.id}/check"
    responses = run_concurrently(RACERS, lambda i: clients[i].post(url))
    assert [r.status_code for r in responses] == [302] * RACERS
    assert {r.headers["Location"] for r in responses} == {result}
    assert count(TrainingCompletion, user_id=learner.id) == 1
    assert count(Certificate, holder_user_id=learner.id) == 1
    assert "You passed" in clients[0].get(result).text
