"""Quiz attempts: start, answer one question at a time, submit, and the training completion."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import (
    AttemptAnswer,
    Certificate,
    Question,
    QuizAttempt,
    TrainingCompletion,
    TrainingModule,
    User,
)
from compliance.models.base import utcnow
from compliance.quiz import scoring
from compliance.training import services as training


class QuizLocked(Exception):
    """Every module must be read before the quiz opens."""


class CoolingOff(Exception):
    def __init__(self, until: datetime) -> None:
        super().__init__(until)
        self.until = until


class AttemptClosed(Exception):
    """The attempt has been submitted; answers can no longer change."""


class NotYourAttempt(Exception):
    pass


class Unanswered(Exception):
    def __init__(self, positions: list[int]) -> None:
        super().__init__(positions)
        self.positions = positions


@dataclass(frozen=True)
class QuizState:
    status: str  # locked | ready | in_progress | cooling_off
    attempt: QuizAttempt | None = None  # the open attempt, or the last submitted one
    completion: TrainingCompletion | None = None  # the latest completion, current or not
    retry_at: datetime | None = None

    @property
    def completion_current(self) -> bool:
        return self.completion is not None and self.completion.expires_at > utcnow()


def latest_completion(user_id: int) -> TrainingCompletion | None:
    return db.session.scalar(select(TrainingCompletion).where(
        TrainingCompletion.user_id == user_id).order_by(TrainingCompletion.completed_at.desc())
        .limit(1))


def quiz_state(user: User) -> QuizState:
    completion = latest_completion(user.id)
    open_attempt = db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.user_id == user.id, QuizAttempt.submitted_at.is_(None)).limit(1))
    if open_attempt is not None:
        return QuizState("in_progress", open_attempt, completion)
    if not training.progress(user).all_read:
        return QuizState("locked", None, completion)
    last = db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.user_id == user.id, QuizAttempt.submitted_at.is_not(None))
        .order_by(QuizAttempt.submitted_at.desc()).limit(1))
    if last is not None and not last.passed:
        retry_at = last.submitted_at + timedelta(
            minutes=float(current_app.config["QUIZ_COOLING_OFF_MINUTES"]))
        if retry_at > utcnow():
            return QuizState("cooling_off", last, completion, retry_at)
    return QuizState("ready", last, completion)


def _lock_person(user: User) -> None:
    """Serialise one person's quiz starts and submissions (a row lock on PostgreSQL).

    The database also allows only one open attempt per person (a partial unique index), so a
    race that gets past this still cannot open a second attempt.
    """
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())


def _recent_question_keys(user: User) -> set[str]:
    last = select(QuizAttempt.id).where(
        QuizAttempt.user_id == user.id, QuizAttempt.submitted_at.is_not(None)).order_by(
        QuizAttempt.submitted_at.desc()).limit(1).scalar_subquery()
    return set(db.session.scalars(select(Question.key).join(
        AttemptAnswer, AttemptAnswer.question_id == Question.id).where(
        AttemptAnswer.attempt_id == last)))


def start_attempt(user: User, actor: Actor, rng: random.Random | None = None) -> QuizAttempt:
    """Begin an attempt (or return the one already open: a double click starts nothing new)."""
    _lock_person(user)
    state = quiz_state(user)
    if state.status == "in_progress":
        return state.attempt  # type: ignore[return-value]
    if state.status == "locked":
        raise QuizLocked
    if state.status == "cooling_off":
        raise CoolingOff(state.retry_at)  # type: ignore[arg-type]
    rng = rng or random.SystemRandom()
    jurisdiction = training.jurisdiction_for(user)
    pool = [(q.module_slug, q) for q in db.session.scalars(
        select(Question).where(Question.is_current, Question.retired_at.is_(None))
        .order_by(Question.key)) if jurisdiction.value in q.jurisdictions]
    recent = _recent_question_keys(user)
    questions = scoring.draw(pool, int(current_app.config["QUIZ_LENGTH"]), rng,
                             prefer_not=[q for _m, q in pool if q.key in recent])
    attempt = QuizAttempt(user_id=user.id, jurisdiction=jurisdiction.value, total=len(questions),
                          pass_mark=int(current_app.config["QUIZ_PASS_MARK"]))
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # another request opened one first: use theirs
        return db.session.scalars(select(QuizAttempt).where(
            QuizAttempt.user_id == user.id, QuizAttempt.submitted_at.is_(None))).one()
    for position, question in enumerate(questions, start=1):
        db.session.add(AttemptAnswer(attempt_id=attempt.id, position=position,
                                     question_id=question.id,
                                     option_order=scoring.shuffled_order(len(question.options),
                                                                         rng)))
    audit.record(actor, "quiz_started", f"Started quiz attempt {attempt.id}", target=attempt)
    db.session.flush()
    return attempt


def load_attempt(attempt_id: int, user: User) -> QuizAttempt:
    """The attempt with its questions, in one query (a page of the quiz is otherwise three
    round trips: the attempt, its answers, their questions); only its owner may."""
    attempt = db.session.scalars(select(QuizAttempt).where(QuizAttempt.id == attempt_id).options(
        joinedload(QuizAttempt.answers).joinedload(AttemptAnswer.question))).unique().first()
    if attempt is None or attempt.user_id != user.id:
        raise NotYourAttempt
    return attempt


def load_question(attempt_id: int, position: int,
                  user: User) -> tuple[QuizAttempt, AttemptAnswer | None]:
    """The attempt and its answer at `position` with the answer's question, in one query: a
    page of the quiz shows one question, so the other fourteen answers and questions (each
    with its JSON options) are not loaded. The answer is None past the attempt's end; only
    the attempt's owner may."""
    row = db.session.execute(
        select(QuizAttempt, AttemptAnswer)
        .outerjoin(AttemptAnswer, (AttemptAnswer.attempt_id == QuizAttempt.id)
                   & (AttemptAnswer.position == position))
        .where(QuizAttempt.id == attempt_id)
        .options(joinedload(AttemptAnswer.question))).first()
    if row is None or row[0].user_id != user.id:
        raise NotYourAttempt
    return row[0], row[1]


def shown_positions(answer: AttemptAnswer) -> list[int]:
    """The positions on the page of the options this answer chose (form values)."""
    return [answer.option_order.index(i) for i in answer.chosen or []]


def save_answer(attempt: QuizAttempt, answer: AttemptAnswer, positions: list[int]) -> None:
    """Save one answer as it is given, so nothing is lost if the browser closes.

    `positions` are places in this attempt's shuffled order; they are mapped to the bank's
    options here, on the server.
    """
    if attempt.submitted_at is not None:
        raise AttemptClosed
    if not positions or not set(positions) <= set(range(len(answer.option_order))):
        raise ValueError("chosen options out of range")
    answer.chosen = sorted({answer.option_order[p] for p in positions})
    answer.answered_at = utcnow()
    db.session.flush()


def first_unanswered(attempt: QuizAttempt) -> int | None:
    return next((a.position for a in attempt.answers if a.chosen is None), None)


def submit_attempt(attempt: QuizAttempt, actor: Actor) -> scoring.Result:
    """Score the attempt; a pass records a training completion valid for 12 months.

    Submitting twice (a double tap, a retry, concurrent posts) scores once: the attempt row is
    locked and re-read, and the database allows one completion per attempt.
    """
    submitted = db.session.execute(select(QuizAttempt.submitted_at).where(
        QuizAttempt.id == attempt.id).with_for_update()).scalar_one()
    if attempt.submitted_at is not None or submitted is not None:
        raise AttemptClosed
    missing = [a.position for a in attempt.answers if a.chosen is None]
    if missing:
        raise Unanswered(missing)
    pairs = [(frozenset(a.chosen or []), a.question.correct_indexes) for a in attempt.answers]
    result = scoring.score(pairs, attempt.pass_mark)
    for answer, (chosen, correct) in zip(attempt.answers, pairs, strict=True):
        answer.correct = scoring.is_correct(chosen, correct)
    now = utcnow()
    attempt.submitted_at, attempt.score, attempt.passed = now, result.score, result.passed
    try:
        with db.session.begin_nested():
            if result.passed:
                days = int(current_app.config["TRAINING_VALID_DAYS"])
                db.session.add(TrainingCompletion(
                    user_id=attempt.user_id, attempt_id=attempt.id, completed_at=now,
                    expires_at=now + timedelta(days=days), score_percent=result.percent))
    except IntegrityError as exc:  # another request recorded this pass first
        raise AttemptClosed from exc
    audit.record(actor, "quiz_submitted",
                 f"Submitted quiz attempt {attempt.id}: {result.score}/{result.total}, "
                 f"{'passed' if result.passed else 'not passed'}", target=attempt)
    db.session.flush()
    return result


def show_right_answers(attempt: QuizAttempt) -> bool:
    """After a pass, the full review; after a fail, the right options stay hidden (the same
    questions can come back) unless the service chooses Moodle's "show right answers"."""
    return bool(attempt.passed) or bool(current_app.config["QUIZ_SHOW_RIGHT_ANSWERS_ON_FAIL"])


def module_titles(slugs: set[str]) -> dict[str, str]:
    """Current module titles by slug, for the result page's "read again" links."""
    return dict(db.session.execute(select(TrainingModule.slug, TrainingModule.title).where(
        TrainingModule.is_current, TrainingModule.slug.in_(slugs))).all())


def certificate_for(attempt: QuizAttempt) -> Certificate | None:
    """The certificate a pass issued (its PDF may still be being prepared by a job)."""
    return db.session.scalar(select(Certificate).join(
        TrainingCompletion, TrainingCompletion.id == Certificate.completion_id).where(
        TrainingCompletion.attempt_id == attempt.id).order_by(Certificate.id).limit(1))
