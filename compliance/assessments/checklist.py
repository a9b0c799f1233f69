"""Admins edit checklist items in the browser. Each edit adds a version (training.content);
past assessments keep the version they were answered against."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import ChecklistItem, Source
from compliance.training.content import add_checklist_version

# The fields that make up a version (compliance.training.content.checklist_content).
CONTENT_FIELDS = ("number", "group_key", "group_title", "group_position", "question",
                  "officer_check", "why", "how_to_fix", "weight", "applicability",
                  "source_tags", "note", "automatic", "basis")
EDITABLE = ("question", "officer_check", "why", "how_to_fix", "weight", "applicability",
            "source_tags", "note", "basis")
APPLICABILITY = {
    "always": "Always",
    "online_or_phone": "Where the premises sells online or by phone",
    "click_and_collect": "Where the premises offers click-and-collect",
    "scotland": "Scotland premises that sell non-domestic knives or swords",
}
BASES = {"law": "The law (an offence, its defence or the sentencing guideline)",
         "voluntary_agreement": "Home Office voluntary agreement",
         "good_practice": "Good practice"}
WEIGHTS = {"critical": "Critical (5 points)", "high": "High (3 points)",
           "medium": "Medium (2 points)", "low": "Low (1 point)"}


class UnknownItem(Exception):
    pass


class UnknownSources(Exception):
    """Source tags that are not in the source list."""


class CriticalNeedsLaw(Exception):
    """Only law in force can be critical: a premises must not fail over anything else."""


def current_items() -> list[ChecklistItem]:
    return list(db.session.scalars(select(ChecklistItem).where(ChecklistItem.is_current)
                                   .order_by(ChecklistItem.group_position, ChecklistItem.number)))


def get_current(key: str) -> ChecklistItem:
    item = db.session.scalar(select(ChecklistItem).where(ChecklistItem.key == key,
                                                         ChecklistItem.is_current))
    if item is None:
        raise UnknownItem(key)
    return item


def edit_item(key: str, changes: dict[str, Any], actor: Actor) -> ChecklistItem | None:
    """Save a new version with these changes; None when nothing changed."""
    current = get_current(key)
    if set(changes) - set(EDITABLE):
        raise ValueError(f"not editable: {sorted(set(changes) - set(EDITABLE))}")
    tags = list(changes.get("source_tags", current.source_tags))
    known = set(db.session.scalars(select(Source.tag).where(Source.tag.in_(tags))))
    if unknown := [t for t in tags if t not in known]:
        raise UnknownSources(", ".join(unknown))
    content = {field: getattr(current, field) for field in CONTENT_FIELDS} | changes
    content["source_tags"] = tags
    if content["weight"] == "critical" and content["basis"] != "law":
        raise CriticalNeedsLaw(key)
    item = add_checklist_version(key, content, created_by_id=actor.user_id)
    if item is not None:
        audit.record(actor, "checklist_item_edited",
                     f"Edited checklist item {key}: now version {item.version}", target=item,
                     details={"changed": sorted(f for f in changes
                                                if changes[f] != getattr(current, f))})
    return item
