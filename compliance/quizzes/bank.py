"""The question bank: list, add, edit (a new version), retire, and GIFT import/export."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Question, Source, TrainingModule
from compliance.models.base import utcnow
from compliance.quizzes.gift import GiftOption, GiftQuestion, format_gift, parse_gift
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


def to_gift(question: Question) -> GiftQuestion:
    return GiftQuestion(
        key=question.key, category=question.module_slug, kind=question.kind, text=question.text,
        options=tuple(GiftOption(o["text"], bool(o["correct"]), o.get("feedback", ""))
                      for o in question.options),
        explanation=question.explanation, jurisdictions=tuple(question.jurisdictions),
        sources=tuple(question.source_tags))


def export_gift() -> str:
    return format_gift([to_gift(q) for q in current_questions()])


@dataclass(frozen=True)
class ImportReport:
    read: int
    added_or_changed: int


def import_gift(text: str, actor: Actor) -> ImportReport:
    """Import a GIFT file: all or nothing. Bad lines raise GiftError with line numbers."""
    questions = parse_gift(text)
    known = dict(module_choices())
    unknown = sorted({q.category for q in questions if q.category not in known})
    if unknown:
        raise UnknownModule(", ".join(unknown))
    changed = 0
    for q in questions:
        content = {
            "module_slug": q.category, "jurisdictions": list(q.jurisdictions), "kind": q.kind,
            "text": q.text, "explanation": q.explanation, "source_tags": list(q.sources),
            "options": [{"text": o.text, "correct": o.correct, "feedback": o.feedback}
                        for o in q.options],
        }
        if add_question_version(q.key, content) is not None:
            changed += 1
    audit.record(actor, "questions_imported",
                 f"Imported {len(questions)} questions from GIFT ({changed} new versions)")
    db.session.flush()
    return ImportReport(len(questions), changed)
