"""The question bank (versioned), quiz attempts and training completions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.models.base import Base, TimestampMixin, UTCDateTime, utcnow

if TYPE_CHECKING:
    from compliance.models.users import User


class Question(TimestampMixin, Base):
    """One version of a question. Editing adds a version; attempts keep the one they showed."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int]
    is_current: Mapped[bool] = mapped_column(default=True, index=True)
    retired_at: Mapped[datetime | None]
    module_slug: Mapped[str] = mapped_column(String(80), index=True)
    jurisdictions: Mapped[list[str]] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(10))  # single | multiple
    text: Mapped[str] = mapped_column(Text)
    # [{"text": ..., "correct": bool, "feedback": ...}, ...] in canonical order
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text)
    source_tags: Mapped[list[str]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Hash of the question's content: a reload of an unchanged file adds nothing.
    content_hash: Mapped[str] = mapped_column(String(64), index=True)

    @property
    def correct_indexes(self) -> frozenset[int]:
        return frozenset(i for i, o in enumerate(self.options) if o["correct"])


class QuizAttempt(Base):
    __tablename__ = "quiz_attempts"
    # One open attempt per person, enforced by the database: concurrent starts cannot open a
    # second attempt to fail on purpose and learn the answers.
    __table_args__ = (Index("uq_quiz_attempts_one_open", "user_id", unique=True,
                            sqlite_where=text("submitted_at IS NULL"),
                            postgresql_where=text("submitted_at IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    jurisdiction: Mapped[str] = mapped_column(String(30))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None]
    score: Mapped[int | None]
    total: Mapped[int]
    pass_mark: Mapped[int]  # percent, as set when the attempt started
    passed: Mapped[bool | None]

    user: Mapped[User] = relationship(lazy="raise")
    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", lazy="raise", order_by="AttemptAnswer.position")

    @property
    def percent(self) -> int | None:
        return None if self.score is None else round(100 * self.score / self.total)


class AttemptAnswer(Base):
    """One question as shown in an attempt: its exact version, option order and the answer."""

    __tablename__ = "attempt_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id"), index=True)
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    option_order: Mapped[list[int]] = mapped_column(JSON)
    chosen: Mapped[list[int] | None] = mapped_column(JSON)  # canonical option indexes
    answered_at: Mapped[datetime | None]
    correct: Mapped[bool | None]

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers", lazy="raise")
    question: Mapped[Question] = relationship(lazy="raise")


class TrainingCompletion(Base):
    """A passed quiz: the person is trained until expires_at (12 months)."""

    __tablename__ = "training_completions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id"), unique=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime]
    score_percent: Mapped[int]
