"""Loading reviewed content files (modules, sources, questions) into the database.

Idempotent: unchanged files add nothing; a changed file adds a new version and the old
version stays, so history is never rewritten.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select, update

from compliance.extensions import db
from compliance.models import ChecklistItem, Question, Source, TrainingModule

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
JURISDICTIONS = ("england-wales", "scotland", "northern-ireland")
BASES = ("law", "voluntary_agreement", "good_practice")


class ContentError(ValueError):
    """A content file is malformed; nothing is loaded."""


# Checklist items answered from the portal's own records rather than by hand.
AUTOMATIC_ITEMS = {"staff-trained-and-refreshed": "training", "refusals-register": "refusals"}


@dataclass
class LoadReport:
    sources: int = 0
    modules_added: list[str] = field(default_factory=list)
    questions_added: list[str] = field(default_factory=list)
    checklist_added: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.sources} new sources, {len(self.modules_added)} new module versions, "
                f"{len(self.questions_added)} new question versions, "
                f"{len(self.checklist_added)} new checklist item versions")


def content_hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def read_module_file(path: Path) -> dict[str, Any]:
    """Split a Markdown file into its YAML front matter and body."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ContentError(f"{path.name}: no front matter")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    required = {"slug", "title", "summary", "order", "last_reviewed", "reviewed_by",
                "reading_minutes", "jurisdictions", "sources"}
    if missing := required - set(meta):
        raise ContentError(f"{path.name}: missing {', '.join(sorted(missing))}")
    if bad := set(meta["jurisdictions"]) - set(JURISDICTIONS):
        raise ContentError(f"{path.name}: unknown jurisdictions {sorted(bad)}")
    meta["body"] = body.strip() + "\n"
    return meta


def question_content(item: dict[str, Any]) -> dict[str, Any]:
    """The parts of a question that make up a version (what the hash covers)."""
    return {
        "module_slug": item["module"], "jurisdictions": list(item["jurisdictions"]),
        "kind": item["kind"], "text": item["text"].strip(),
        "options": [{"text": o["text"].strip(), "correct": bool(o["correct"]),
                     "feedback": (o.get("feedback") or "").strip()} for o in item["options"]],
        "explanation": (item.get("explanation") or "").strip(),
        "source_tags": list(item.get("sources") or []),
    }


def load_content(content_dir: Path = CONTENT_DIR) -> LoadReport:
    report = LoadReport()
    _load_sources(content_dir / "sources.yaml", report)
    for path in sorted((content_dir / "modules").glob("*.md")):
        _load_module(read_module_file(path), report)
    questions = yaml.safe_load((content_dir / "questions.yaml").read_text(encoding="utf-8"))
    for item in questions:
        add_question_version(item["id"], question_content(item), report=report)
    checklist = yaml.safe_load((content_dir / "checklist.yaml").read_text(encoding="utf-8"))
    for position, group in enumerate(checklist["groups"], start=1):
        for item in group["items"]:
            content = checklist_content(group, position, item)
            if add_checklist_version(item["key"], content) is not None:
                report.checklist_added.append(item["key"])
    db.session.flush()
    return report


def checklist_content(group: dict[str, Any], position: int, item: dict[str, Any]) -> dict:
    """The parts of a checklist item that make up a version."""
    return {
        "number": int(item["number"]), "group_key": group["key"], "group_title": group["title"],
        "group_position": position, "question": item["question"].strip(),
        "officer_check": item["officer_check"].strip(), "why": item["why"].strip(),
        "how_to_fix": item["how_to_fix"].strip(), "weight": item["weight"],
        "applicability": item["applicability"], "source_tags": list(item["sources"]),
        "note": (item.get("note") or "").strip() or None,
        "automatic": AUTOMATIC_ITEMS.get(item["key"]), "basis": _basis(item),
    }


def _basis(item: dict[str, Any]) -> str:
    """What the item rests on; only the law in force may make an item critical."""
    basis = item.get("basis")
    if basis not in BASES:
        raise ContentError(f"checklist item {item.get('number')}: basis must be one of "
                           f"{', '.join(BASES)}, not {basis!r}")
    if item["weight"] == "critical" and basis != "law":
        raise ContentError(f"checklist item {item.get('number')}: only law in force can be "
                           f"critical, but its basis is {basis!r}")
    return basis


def add_checklist_version(key: str, content: dict[str, Any], *,
                          created_by_id: int | None = None) -> ChecklistItem | None:
    """Add a version of a checklist item unless an identical one exists (as for questions)."""
    return _new_version(ChecklistItem, key, content, created_by_id)


def _load_sources(path: Path, report: LoadReport) -> None:
    known = {s.tag: s for s in db.session.scalars(select(Source))}
    for row in yaml.safe_load(path.read_text(encoding="utf-8")):
        source = known.get(row["tag"])
        if source is None:
            db.session.add(Source(tag=row["tag"], title=row["title"], url=row["url"]))
            report.sources += 1
        else:
            source.title, source.url = row["title"], row["url"]


def _load_module(meta: dict[str, Any], report: LoadReport) -> None:
    values = {
        "position": int(meta["order"]), "title": meta["title"], "summary": meta["summary"],
        "body_markdown": meta["body"], "reading_minutes": int(meta["reading_minutes"]),
        "jurisdictions": list(meta["jurisdictions"]),
        "jurisdiction_notes": dict(meta.get("jurisdiction_notes") or {}),
        "source_tags": list(meta["sources"]),
        "last_reviewed": meta["last_reviewed"] if isinstance(meta["last_reviewed"], date)
        else date.fromisoformat(str(meta["last_reviewed"])),
        "reviewed_by": str(meta["reviewed_by"]).strip(),
    }
    digest = content_hash(values)
    versions = list(db.session.scalars(select(TrainingModule).where(
        TrainingModule.slug == meta["slug"]).order_by(TrainingModule.version)))
    if any(v.content_hash == digest for v in versions):
        return
    for old in versions:
        old.is_current = False
    db.session.add(TrainingModule(slug=meta["slug"], version=len(versions) + 1, is_current=True,
                                  content_hash=digest, **values))
    report.modules_added.append(meta["slug"])


def add_question_version(key: str, content: dict[str, Any], *, created_by_id: int | None = None,
                         report: LoadReport | None = None) -> Question | None:
    """Add a version of a question unless an identical one exists; returns the new version."""
    question = _new_version(Question, key, content, created_by_id, carry=("retired_at",))
    if question is not None and report is not None:
        report.questions_added.append(key)
    return question


def _new_version(model, key: str, content: dict[str, Any], created_by_id: int | None,
                 carry: tuple[str, ...] = ()):
    """The shared versioning rule for keyed content: add a version only for new content."""
    digest = content_hash(content)
    versions = list(db.session.scalars(select(model).where(model.key == key)
                                       .order_by(model.version)))
    if versions and versions[-1].content_hash == digest:
        return None
    if any(v.content_hash == digest for v in versions) and created_by_id is None:
        return None  # a file reload must not undo a later edit made in the browser
    db.session.execute(update(model).where(model.key == key).values(is_current=False))
    kept = {name: getattr(versions[-1], name) for name in carry} if versions else {}
    row = model(key=key, version=len(versions) + 1, is_current=True, content_hash=digest,
                created_by_id=created_by_id, **kept, **content)
    db.session.add(row)
    db.session.flush()
    return row
