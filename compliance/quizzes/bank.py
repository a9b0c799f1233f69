"""The question bank: list, add, edit (a new version), retire. Moodle files: transfer.py."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Question, Source, TrainingModule
from compliance.models.base import utcnow
from compliance.training.content import add_question_version


class UnknownQuestion(Exception):
    pass


class UnknownModule(ValueError):
    pass


class UnknownSources(ValueError):
    pass


def module_choices() -> list[tuple[str, str]]:
    return [(m.slug, m.title) for m in db.session.scalars(
        select(TrainingModule).where(TrainingModule.is_current).order_by(TrainingModule.position))]


def current_questions(module: str | None = None, include_retired: bool = False) -> list[Question]:
    order = {slug: n for n, (slug, _t) in enumerate(module_choices())}
    stmt = select(Question).where(Question.is_current)
    if module:
        stmt = stmt.where(Question.module_slug == module)
    if not include_retired:
        stmt = stmt.where(Question.retired_at.is_(None))
    return sorted(db.session.scalars(stmt), key=lambda q: (order.get(q.module_slug, 99), q.key))


def get_current(key: str) -> Question:
    question = db.session.scalar(select(Question).where(Question.key == key, Question.is_current))
    if question is None:
        raise UnknownQuestion(key)
    return question


def _check_module(slug: str) -> None:
    if slug not in dict(module_choices()):
        raise UnknownModule(slug)


def next_key() -> str:
    numbers = [int(m.group(1)) for k in db.session.scalars(select(Question.key).distinct())
               if (m := re.fullmatch(r"q-(\d+)", k))]
    return f"q-{max(numbers, default=0) + 1:03d}"


def save_question(key: str | None, content: dict[str, Any], actor: Actor) -> Question:
    """Add a question, or edit one: an edit is a new version; past attempts keep theirs."""
    _check_module(content["module_slug"])
    known = set(db.session.scalars(select(Source.tag).where(
        Source.tag.in_(content["source_tags"]))))
    if unknown := [t for t in content["source_tags"] if t not in known]:
        raise UnknownSources(", ".join(unknown))
    if key is not None:
        get_current(key)
    key = key or next_key()
    question = add_question_version(key, content, created_by_id=actor.user_id)
    if question is None:
        return get_current(key)
    db.session.flush()
    audit.record(actor, "question_saved", f"Saved question {key} version {question.version}",
                 target=question)
    return question


def retire_question(key: str, actor: Actor) -> None:
    """Take a question out of future quizzes; it stays in past attempts."""
    now = utcnow()
    for version in db.session.scalars(select(Question).where(Question.key == key)):
        version.retired_at = version.retired_at or now
    audit.record(actor, "question_retired", f"Retired question {key}", target=get_current(key))
    db.session.flush()
