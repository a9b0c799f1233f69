"""Training journeys through the HTTP interface, on the real content."""

import csv
import io
import re
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from compliance.extensions import db
from compliance.models import (
    AttemptAnswer,
    ModuleRead,
    Question,
    QuizAttempt,
    Role,
    TrainingCompletion,
    TrainingModule,
)
from compliance.models.base import utcnow
from compliance.training.content import load_content
from tests.factories import PremisesFactory, UserFactory


def esc(text: str) -> str:
    return str(escape(text))


@pytest.fixture
def content(app):
    load_content()


@pytest.fixture
def learner(login_as):
    premises = PremisesFactory()
    return login_as(UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises))


def modules() -> list[TrainingModule]:
    return list(db.session.scalars(select(TrainingModule).where(TrainingModule.is_current)
                                   .order_by(TrainingModule.position)))


def read_all(client) -> None:
    for module in modules():
        client.post(f"/training/modules/{module.slug}")


def open_attempt(user) -> QuizAttempt:
    return db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == user.id,
                                                       QuizAttempt.submitted_at.is_(None)))


def answers(attempt) -> list[AttemptAnswer]:
    return list(db.session.scalars(select(AttemptAnswer).where(
        AttemptAnswer.attempt_id == attempt.id).order_by(AttemptAnswer.position)))


def answer_all(client, attempt, right: bool, start: int = 1) -> None:
    for a in answers(attempt)[start - 1:]:
        question = db.session.get(Question, a.question_id)
        correct = sorted(question.correct_indexes)
        wrong = [i for i in range(len(question.options)) if i not in correct][:1]
        # Form values are positions in this attempt's shuffled order, not bank indexes.
        shown = [a.option_order.index(i) for i in (correct if right else wrong)]
        client.post(f"/training/quiz/{attempt.id}/{a.position}", data={"answer": shown})


def test_module_page_shows_content_sources_and_review_date(client, content, learner):
    module = modules()[0]
    page = client.get(f"/training/modules/{module.slug}")
    assert module.title in page.text
    assert 'id="source-S1"' in page.text or 'id="source-' in page.text
    assert "Last reviewed 29 November 2026 by Content editor" in page.text
    assert "not legal advice" in page.text
    assert "Confirm I have read this module" in page.text


def test_staff_see_their_jurisdictions_rules(client, content, login_as):
    premises = PremisesFactory(jurisdiction="scotland")
    login_as(UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises))
    module = next(m for m in modules() if "scotland" in m.jurisdiction_notes)
    page = client.get(f"/training/modules/{module.slug}")
    assert "Rules shown for Scotland" in page.text and "In Scotland:" in page.text


def test_reading_a_module_records_it_and_moves_on(client, content, learner):
    first, second = modules()[:2]
    response = client.post(f"/training/modules/{first.slug}")
    assert response.headers["Location"] == f"/training/modules/{second.slug}"
    assert db.session.scalar(select(ModuleRead.module_slug).where(
        ModuleRead.user_id == learner.id)) == first.slug
    index = client.get("/training/")
    assert "You have read 1 of" in index.text


def test_quiz_is_locked_until_every_module_is_read(client, content, learner):
    for module in modules()[:-1]:
        client.post(f"/training/modules/{module.slug}")
    assert "Cannot start yet" in client.get("/training/").text
    refused = client.post("/training/quiz", follow_redirects=True)
    assert "Read every module before you take the quiz" in refused.text
    assert open_attempt(learner) is None


def test_full_journey_fail_cool_off_retry_pass(app, client, content, learner, monkeypatch):
    read_all(client)
    start = client.post("/training/quiz")
    attempt = open_attempt(learner)
    assert start.headers["Location"] == f"/training/quiz/{attempt.id}/1"
    assert attempt.total == 15
    drawn = answers(attempt)
    mods = {db.session.get(Question, a.question_id).module_slug for a in drawn}
    assert len(mods) == len(modules())  # every module represented

    # Answers are not revealed before submission.
    page = client.get(f"/training/quiz/{attempt.id}/1")
    question = db.session.get(Question, drawn[0].question_id)
    assert esc(question.text) in page.text and esc(question.explanation) not in page.text
    for option in question.options:
        if option["feedback"]:
            assert esc(option["feedback"]) not in page.text

    # Answer five, "close the browser", come back: resume at question 6.
    answer_all(client, attempt, right=False)
    db.session.execute(AttemptAnswer.__table__.update().where(
        AttemptAnswer.attempt_id == attempt.id, AttemptAnswer.position > 5).values(chosen=None))
    resumed = client.get("/training/quiz")
    assert resumed.headers["Location"] == f"/training/quiz/{attempt.id}/6"
    assert "In progress" in client.get("/training/").text

    # Submitting with gaps names them.
    gaps = client.post(f"/training/quiz/{attempt.id}/check")
    assert "Answer question 6" in gaps.text

    answer_all(client, attempt, right=False, start=6)
    result = client.post(f"/training/quiz/{attempt.id}/check", follow_redirects=True)
    assert "You did not pass this time" in result.text
    # Which questions were wrong, why, and what to read again; not the right options.
    assert "Right answer:" not in result.text and esc(question.explanation) in result.text
    assert f'href="/training/modules/{question.module_slug}"' in result.text
    assert db.session.scalar(select(TrainingCompletion)) is None

    # Cooling off: no new attempt until it ends.
    assert "You can try again after" in client.get("/training/quiz").text
    client.post("/training/quiz")
    assert open_attempt(learner) is None
    db.session.execute(QuizAttempt.__table__.update().where(QuizAttempt.id == attempt.id)
                       .values(submitted_at=utcnow() - timedelta(minutes=11)))

    client.post("/training/quiz")
    retry = open_attempt(learner)
    assert retry is not None and retry.id != attempt.id
    answer_all(client, retry, right=True)
    passed = client.post(f"/training/quiz/{retry.id}/check", follow_redirects=True)
    assert "You passed" in passed.text and "15 out of 15" in passed.text
    assert passed.text.count(">Right<") == 15  # the full review after a pass
    completion = db.session.scalar(select(TrainingCompletion))
    assert completion.attempt_id == retry.id and completion.score_percent == 100
    assert timedelta(days=364) < completion.expires_at - completion.completed_at <= timedelta(
        days=365)
    # Submitted attempts are closed.
    late = client.post(f"/training/quiz/{retry.id}/1", data={"answer": [0]})
    assert late.headers["Location"] == f"/training/quiz/{retry.id}/result"


def test_bad_answer_input_gets_a_clear_message(client, content, learner):
    read_all(client)
    client.post("/training/quiz")
    attempt = open_attempt(learner)
    empty = client.post(f"/training/quiz/{attempt.id}/1", data={})
    assert "govuk-error-summary" in empty.text
    assert ("Select an answer" in empty.text or "Select all the answers" in empty.text)
    forged = client.post(f"/training/quiz/{attempt.id}/1", data={"answer": ["99"]})
    assert forged.status_code == 200 and "govuk-error-summary" in forged.text
    assert answers(attempt)[0].chosen is None


def test_double_start_opens_one_attempt(client, content, learner):
    read_all(client)
    client.post("/training/quiz")
    client.post("/training/quiz")
    assert len(db.session.scalars(select(QuizAttempt)).all()) == 1


def test_someone_elses_attempt_is_not_found(client, content, learner, login_as):
    read_all(client)
    client.post("/training/quiz")
    attempt = open_attempt(learner)
    login_as(UserFactory(role=Role.STAFF))
    assert client.get(f"/training/quiz/{attempt.id}/1").status_code == 404
    assert client.post(f"/training/quiz/{attempt.id}/1", data={"answer": 0}).status_code == 404


def test_editing_a_question_never_changes_a_past_attempt(client, content, learner, login_as):
    read_all(client)
    client.post("/training/quiz")
    attempt = open_attempt(learner)
    first = answers(attempt)[0]
    original = db.session.get(Question, first.question_id)
    original_text = original.text
    from compliance.audit import Actor
    from compliance.quizzes import bank

    content_ = {"module_slug": original.module_slug, "jurisdictions": original.jurisdictions,
                "kind": original.kind, "text": "Reworded: " + original.text,
                "options": original.options, "explanation": original.explanation,
                "source_tags": original.source_tags}
    new = bank.save_question(original.key, content_, Actor(UserFactory(role=Role.ADMIN)))
    assert new.version == original.version + 1
    page = client.get(f"/training/quiz/{attempt.id}/1")
    assert esc(original_text) in page.text and "Reworded: " not in page.text


def test_matrix_shows_staff_progress_and_downloads_csv(client, content, login_as):
    premises = PremisesFactory()
    manager = login_as(UserFactory(role=Role.MANAGER, retailer=premises.retailer))
    trained = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises,
                          name="Tia Trained")
    expiring = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises,
                           name="Eli Expiring")
    UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises, name="=Evil()",
                email="=evil@example.com")
    UserFactory(role=Role.STAFF, name="Someone Elsewhere")
    now = utcnow()
    for user, expires in ((trained, now + timedelta(days=200)),
                          (expiring, now + timedelta(days=10))):
        attempt = QuizAttempt(user_id=user.id, jurisdiction="england-wales", total=15,
                              pass_mark=80, submitted_at=now - timedelta(days=1), score=14,
                              passed=True)
        db.session.add(attempt)
        db.session.flush()
        db.session.add(TrainingCompletion(user_id=user.id, attempt_id=attempt.id,
                                          completed_at=now, expires_at=expires,
                                          score_percent=93))
    db.session.add(ModuleRead(user_id=trained.id, module_slug=modules()[0].slug,
                              module_id=modules()[0].id))
    db.session.flush()
    page = client.get("/training/matrix")
    assert "Tia Trained" in page.text and "Someone Elsewhere" not in page.text
    assert "Expires soon" in page.text and "Not trained" in page.text
    download = client.get("/training/matrix.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(download)))
    by_name = {r["Name"]: r for r in rows}
    assert by_name["Tia Trained"]["Status"] == "Trained"
    assert by_name["Tia Trained"]["Modules read"] == "1"
    assert by_name["Eli Expiring"]["Status"] == "Expires soon"
    # Each person's premises, their last attempt's score, and the manager (no premises: "All").
    assert by_name["Tia Trained"]["Premises"] == premises.name
    assert by_name["Tia Trained"]["Last score %"] == "93" and by_name[
        "Tia Trained"]["Last attempt passed"] == "yes"
    assert by_name[manager.name]["Premises"] == ""
    cells = re.findall(r'<td class="govuk-table__cell">([^<]*)</td>', page.text)
    assert escape(premises.name) in cells and "All" in cells
    assert "93%, passed" in page.text
    assert "'=Evil()" in by_name  # no spreadsheet formulas from names
    assert manager.email in {r["Email"] for r in rows}
    assert "'=evil@example.com" in {r["Email"] for r in rows}  # every column, not just names


@pytest.mark.parametrize("url", ["/training/matrix", "/training/"])
def test_training_pages_use_constant_queries(client, content, login_as, count_queries, url):
    premises = PremisesFactory()
    login_as(UserFactory(role=Role.MANAGER, retailer=premises.retailer))

    def add_staff(n):
        for _ in range(n):
            user = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
            for module in modules()[:3]:
                db.session.add(ModuleRead(user_id=user.id, module_slug=module.slug,
                                          module_id=module.id))
            db.session.add(QuizAttempt(user_id=user.id, jurisdiction="england-wales", total=15,
                                       pass_mark=80, submitted_at=utcnow(), score=3,
                                       passed=False))
        db.session.flush()

    add_staff(1)
    with count_queries() as one:
        client.get(url)
    add_staff(19)
    with count_queries() as twenty:
        client.get(url)
    assert one["n"] == twenty["n"]


def test_quiz_question_page_uses_constant_queries(app, client, content, learner, count_queries,
                                                  monkeypatch):
    read_all(client)
    counts = []
    for length in (5, 15):
        monkeypatch.setitem(app.config, "QUIZ_LENGTH", length)
        db.session.execute(QuizAttempt.__table__.update().values(submitted_at=utcnow(),
                                                                 passed=True))
        client.post("/training/quiz")
        attempt = open_attempt(learner)
        with count_queries() as counter:
            client.get(f"/training/quiz/{attempt.id}/2")
        counts.append(counter["n"])
    assert counts[0] == counts[1]
    queries = [s for s in counter["statements"] if "SAVEPOINT" not in s]  # the test's own
    assert len(queries) == 2, queries  # the user; the attempt with its answers and questions


def test_officers_read_modules_but_do_not_take_the_quiz(client, content, people, login_as):
    login_as(people["officer"])
    module = modules()[0]
    assert client.get(f"/training/modules/{module.slug}").status_code == 200
    assert "Confirm I have read" not in client.get(f"/training/modules/{module.slug}").text
    assert client.get("/training/quiz").status_code == 403
    assert re.search("Take the quiz", client.get("/training/").text) is None
