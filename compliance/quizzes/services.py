"""Quiz attempts: start, answer one question at a time, submit, and the training completion."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import AttemptAnswer, Question, QuizAttempt, TrainingCompletion, User
from compliance.models.base import utcnow
from compliance.quizzes import scoring
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


def start_attempt(user: User, actor: Actor, rng: random.Random | None = None) -> QuizAttempt:
    """Begin an attempt (or return the one already open: a double click starts nothing new)."""
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
    questions = scoring.draw(pool, int(current_app.config["QUIZ_LENGTH"]), rng)
    attempt = QuizAttempt(user_id=user.id, jurisdiction=jurisdiction.value, total=len(questions),
                          pass_mark=int(current_app.config["QUIZ_PASS_MARK"]))
    db.session.add(attempt)
    db.session.flush()
    for position, question in enumerate(questions, start=1):
        db.session.add(AttemptAnswer(attempt_id=attempt.id, position=position,
                                     question_id=question.id,
                                     option_order=scoring.shuffled_order(len(question.options),
                                                                         rng)))
    audit.record(actor, "quiz_started", f"Started quiz attempt {attempt.id}", target=attempt)
    db.session.flush()
    return attempt


def load_attempt(attempt_id: int, user: User) -> QuizAttempt:
    """The attempt with its questions, in a fixed number of queries; only its owner may."""
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.id == attempt_id).options(
        selectinload(QuizAttempt.answers).selectinload(AttemptAnswer.question)))
    if attempt is None or attempt.user_id != user.id:
        raise NotYourAttempt
    return attempt


def answer_at(attempt: QuizAttempt, position: int) -> AttemptAnswer | None:
    return next((a for a in attempt.answers if a.position == position), None)


def save_answer(attempt: QuizAttempt, answer: AttemptAnswer, chosen: list[int]) -> None:
    """Save one answer as it is given, so nothing is lost if the browser closes."""
    if attempt.submitted_at is not None:
        raise AttemptClosed
    valid = set(range(len(answer.question.options)))
    if not chosen or not set(chosen) <= valid:
        raise ValueError("chosen options out of range")
    answer.chosen = sorted(set(chosen))
    answer.answered_at = utcnow()
    db.session.flush()


def first_unanswered(attempt: QuizAttempt) -> int | None:
    return next((a.position for a in attempt.answers if a.chosen is None), None)


def submit_attempt(attempt: QuizAttempt, actor: Actor) -> scoring.Result:
    """Score the attempt; a pass records a training completion valid for 12 months."""
    if attempt.submitted_at is not None:
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
    if result.passed:
        days = int(current_app.config["TRAINING_VALID_DAYS"])
        db.session.add(TrainingCompletion(user_id=attempt.user_id, attempt_id=attempt.id,
                                          completed_at=now, expires_at=now + timedelta(days=days),
                                          score_percent=result.percent))
    audit.record(actor, "quiz_submitted",
                 f"Submitted quiz attempt {attempt.id}: {result.score}/{result.total}, "
                 f"{'passed' if result.passed else 'not passed'}", target=attempt)
    db.session.flush()
    return result
