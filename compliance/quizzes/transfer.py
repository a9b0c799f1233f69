"""The question bank to and from Moodle: preview an import, import it, export the bank.

An import is all or nothing: a file with errors in the questions the portal can run changes
nothing, and questions of types it cannot run are skipped only when the admin says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Question, Source
from compliance.quizzes.bank import UnknownModule, current_questions, module_choices
from compliance.quizzes.interchange import (
    BankQuestion,
    InterchangeError,
    Option,
    Unsupported,
    detect_format,
    format_gift,
    format_moodle_xml,
    read_bank,
)
from compliance.training.content import add_question_version, content_hash

CHANGES = {"new": "New question", "changed": "New version", "unchanged": "No change",
           "earlier": "No change: an earlier version of one edited since"}


class NeedsModule(ValueError):
    """Some questions have no category, or one that is not a module, and no module was given."""

    def __init__(self, categories: list[str]) -> None:
        self.categories = categories
        super().__init__(", ".join(categories))


class UnsupportedNotConfirmed(Exception):
    """The file holds questions the portal cannot run and the admin has not agreed to skip them."""

    def __init__(self, unsupported: list[Unsupported]) -> None:
        self.unsupported = unsupported
        super().__init__(f"{len(unsupported)} questions of unsupported types")


@dataclass(frozen=True)
class PlannedQuestion:
    question: BankQuestion
    module: str
    change: str  # a key of CHANGES

    def content(self) -> dict[str, Any]:
        q = self.question
        return {"module_slug": self.module, "jurisdictions": list(q.jurisdictions),
                "kind": q.kind, "text": q.text, "explanation": q.explanation,
                "source_tags": list(q.sources),
                "options": [{"text": o.text, "correct": o.correct, "feedback": o.feedback}
                            for o in q.options]}


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do, shown before anything is written."""

    fmt: str
    items: list[PlannedQuestion]
    unsupported: list[Unsupported]

    def count(self, change: str) -> int:
        return sum(item.change == change for item in self.items)

    @property
    def without_jurisdictions(self) -> int:
        return sum(not item.question.jurisdictions for item in self.items)


@dataclass(frozen=True)
class ImportReport:
    read: int
    added_or_changed: int
    skipped: int = 0


def resolve_module(category: str | None, modules: dict[str, str]) -> str | None:
    """The module a Moodle category names: its last path part, as a slug or a title."""
    if not category:
        return None
    leaf = category.rstrip("/").rsplit("/", 1)[-1].strip().casefold()
    return next((slug for slug, title in modules.items()
                 if leaf in (slug.casefold(), title.casefold())), None)


def plan_import(data: bytes, module: str | None = None, fmt: str | None = None) -> ImportPlan:
    """Read a GIFT or Moodle XML file and work out what importing it would change."""
    fmt = fmt or detect_format(data)
    parsed = read_bank(data, fmt)
    modules = dict(module_choices())
    if module and module not in modules:
        raise UnknownModule(module)
    slugs = {q.key: resolve_module(q.category, modules) or module for q in parsed.questions}
    if unresolved := sorted({q.category or "(no category)" for q in parsed.questions
                             if slugs[q.key] is None}):
        raise NeedsModule(unresolved)
    _check_sources(parsed.questions)
    items = []
    for q in parsed.questions:
        item = PlannedQuestion(q, slugs[q.key] or "", "new")
        items.append(PlannedQuestion(q, item.module, _change(q.key, item.content())))
    return ImportPlan(fmt, items, parsed.unsupported)


def _check_sources(questions: list[BankQuestion]) -> None:
    tags = {tag for q in questions for tag in q.sources}
    known = set(db.session.scalars(select(Source.tag).where(Source.tag.in_(tags))))
    errors = [(q.line, "source tags not in the source list: " +
               ", ".join(t for t in q.sources if t not in known))
              for q in questions if set(q.sources) - known]
    if errors:
        raise InterchangeError(errors)


def _change(key: str, content: dict[str, Any]) -> str:
    digest = content_hash(content)
    hashes = list(db.session.scalars(select(Question.content_hash).where(Question.key == key)
                                     .order_by(Question.version)))
    if not hashes:
        return "new"
    if hashes[-1] == digest:
        return "unchanged"
    return "earlier" if digest in hashes else "changed"


def apply_import(plan: ImportPlan, actor: Actor, *, skip_unsupported: bool) -> ImportReport:
    """Write the planned questions as new versions; refuse if unsupported ones are unconfirmed."""
    if plan.unsupported and not skip_unsupported:
        raise UnsupportedNotConfirmed(plan.unsupported)
    changed = sum(add_question_version(item.question.key, item.content()) is not None
                  for item in plan.items)
    audit.record(actor, "questions_imported",
                 f"Imported {len(plan.items)} questions from {plan.fmt} ({changed} new versions,"
                 f" {len(plan.unsupported)} skipped)")
    db.session.flush()
    return ImportReport(len(plan.items), changed, len(plan.unsupported))


def import_file(data: bytes, actor: Actor, *, module: str | None = None,
                skip_unsupported: bool = False, fmt: str | None = None) -> ImportReport:
    """Plan and apply in one step (the command line)."""
    return apply_import(plan_import(data, module, fmt), actor, skip_unsupported=skip_unsupported)


def to_bank_question(question: Question) -> BankQuestion:
    return BankQuestion(
        key=question.key, category=question.module_slug, kind=question.kind, text=question.text,
        options=tuple(Option(o["text"], bool(o["correct"]), o.get("feedback", ""))
                      for o in question.options),
        explanation=question.explanation, jurisdictions=tuple(question.jurisdictions),
        sources=tuple(question.source_tags))


def export_bank(fmt: str = "gift") -> str:
    """The current bank (retired questions left out) as GIFT or Moodle XML."""
    questions = [to_bank_question(q) for q in current_questions()]
    return format_moodle_xml(questions) if fmt == "moodle-xml" else format_gift(questions)
