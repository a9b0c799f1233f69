"""A page of the quiz loads the one question it shows, and only for the attempt's owner."""

from __future__ import annotations

from sqlalchemy import event

from compliance.models import AttemptAnswer, Question, Role
from tests.factories import PremisesFactory, UserFactory
from tests.functional.training.test_routes import (
    answers,
    content,  # noqa: F401 - fixture
    learner,  # noqa: F401 - fixture
    open_attempt,
    read_all,
)


def loaded_during(client, path: str) -> dict[str, list[int]]:
    """The answers and questions the ORM built while serving `path` (their ids)."""
    seen: dict[str, list[int]] = {"answers": [], "questions": []}

    def answer(target, _context):
        seen["answers"].append(target.id)

    def question(target, _context):
        seen["questions"].append(target.id)

    event.listen(AttemptAnswer, "load", answer)
    event.listen(Question, "load", question)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(AttemptAnswer, "load", answer)
        event.remove(Question, "load", question)
    return seen


def test_a_question_page_loads_only_its_own_answer_and_question(client, content, learner):  # noqa: F811
    read_all(client)
    client.post("/training/quiz")
    attempt = open_attempt(learner)
    shown = answers(attempt)[2]
    seen = loaded_during(client, f"/training/quiz/{attempt.id}/3")
    assert seen == {"answers": [shown.id], "questions": [shown.question_id]}
    page = client.get(f"/training/quiz/{attempt.id}/3").text
    assert f"Question 3 of {attempt.total}" in page
    # Past the last question, and someone else's attempt: not found.
    assert client.get(f"/training/quiz/{attempt.id}/{attempt.total + 1}").status_code == 404
    premises = PremisesFactory()
    other = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
    with client.session_transaction() as session:
        session["_user_id"] = other.get_id()
    assert client.get(f"/training/quiz/{attempt.id}/3").status_code == 404
