"""Attaching stored files to what they are evidence for, and listing them (one query each)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import EvidenceLink, FollowUp, Visit
from compliance.storage import StoredFile


def _link(stored: StoredFile, actor: Actor, **target) -> tuple[EvidenceLink, bool]:
    """One link per file and target: the same photo attached twice is listed once."""
    same = select(EvidenceLink).where(
        EvidenceLink.evidence_file_id == stored.id,
        *[getattr(EvidenceLink, k) == v for k, v in target.items()])
    existing = db.session.scalar(same)
    if existing is not None:
        return existing, False
    link = EvidenceLink(evidence_file_id=stored.id, filename=stored.filename,
                        added_by_id=actor.user_id, **target)
    try:
        with db.session.begin_nested():
            db.session.add(link)
    except IntegrityError:  # a double tap: the other request linked it first
        return db.session.scalars(same).one(), False
    return link, True


def attach_to_follow_up(follow_up: FollowUp, stored: StoredFile,
                        actor: Actor) -> EvidenceLink:
    link, added = _link(stored, actor, follow_up_id=follow_up.id)
    if added:
        audit.record(actor, "evidence_added", f"Added evidence to follow-up {follow_up.id}",
                     target=link, details={"follow_up_id": follow_up.id,
                                           "sha256": stored.sha256,
                                           "content_type": stored.content_type})
    return link


def attach_to_finding(visit: Visit, item_key: str, stored: StoredFile,
                      actor: Actor) -> EvidenceLink:
    link, added = _link(stored, actor, visit_id=visit.id, item_key=item_key)
    if added:
        audit.record(actor, "evidence_added", f"Added evidence to a checklist finding of "
                     f"visit {visit.id}", target=link,
                     details={"visit_id": visit.id, "item_key": item_key,
                              "sha256": stored.sha256, "content_type": stored.content_type})
    return link


def _links(*where) -> list[EvidenceLink]:
    return list(db.session.scalars(
        select(EvidenceLink).options(joinedload(EvidenceLink.added_by))
        .where(*where).order_by(EvidenceLink.added_at, EvidenceLink.id)))


def follow_up_evidence(follow_up_id: int) -> list[EvidenceLink]:
    return _links(EvidenceLink.follow_up_id == follow_up_id)


def visit_evidence(visit_id: int) -> dict[str, list[EvidenceLink]]:
    """A visit's files, by checklist item key."""
    by_item: dict[str, list[EvidenceLink]] = defaultdict(list)
    for link in _links(EvidenceLink.visit_id == visit_id):
        by_item[link.item_key or ""].append(link)
    return dict(by_item)


def load_link(link_id: int) -> EvidenceLink | None:
    return db.session.get(EvidenceLink, link_id)
