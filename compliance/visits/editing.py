"""Saving a section of a visit: a draft as the officer goes, or an edit with a reason.

Every save goes through `_save`, which compares the form's lock version with the visit's, so
two officers editing at once never silently overwrite each other; the ORM's version check
(see `flush_visit`) catches the race that comparison cannot see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import ChecklistItem, TestPurchase, Visit, VisitChange, VisitFinding
from compliance.models.base import utcnow
from compliance.visits.services import (
    Edit,
    PurchaseAttempt,
    ReasonRequired,
    VisitConflict,
    VisitDetails,
    VisitOutcome,
    check_operation_dates,
    clean_text,
    detail_values,
    flush_visit,
)


def save_details(visit: Visit, details: VisitDetails, edit: Edit, actor: Actor) -> bool:
    check_operation_dates(details)
    after = detail_values(details)
    changes = _diff({k: getattr(visit, k) for k in after}, after)
    return _save(visit, edit, changes, actor, lambda: _set(visit, after))


def save_outcome(visit: Visit, outcome: VisitOutcome, edit: Edit, actor: Actor) -> bool:
    after = {"outcome": outcome.outcome, "materials": list(outcome.materials),
             "advice_given": clean_text(outcome.advice_given),
             "officer_notes": clean_text(outcome.officer_notes)}
    changes = _diff({k: getattr(visit, k) for k in after}, after)
    return _save(visit, edit, changes, actor, lambda: _set(visit, after))


def save_findings(visit: Visit, items: list[ChecklistItem],
                  answers: dict[int, tuple[str, str | None]], edit: Edit, actor: Actor) -> bool:
    """The officer's findings for some checklist items ("not_checked" removes a finding)."""
    by_key = {f.item.key: f for f in visit.findings}
    before, after = {}, {}
    for item in items:
        answer, note = answers.get(item.id, ("not_checked", None))
        found = by_key.get(item.key)
        before[f"item {item.number}"] = found.answer if found else None
        before[f"item {item.number} note"] = found.note if found else None
        checked = answer != "not_checked"
        after[f"item {item.number}"] = answer if checked else None
        after[f"item {item.number} note"] = clean_text(note) if checked else None

    def apply() -> None:
        for item in items:
            answer, note = answers.get(item.id, ("not_checked", None))
            found = by_key.get(item.key)
            if answer == "not_checked":
                if found is not None:
                    visit.findings.remove(found)
                    db.session.delete(found)
            elif found is None:
                visit.findings.append(VisitFinding(checklist_item_id=item.id, answer=answer,
                                                   note=clean_text(note), item=item))
            else:
                found.checklist_item_id, found.item = item.id, item
                found.answer, found.note = answer, clean_text(note)

    return _save(visit, edit, _diff(before, after), actor, apply)


def save_test_purchase(visit: Visit, attempt: PurchaseAttempt, edit: Edit,
                       actor: Actor) -> bool:
    """One test purchase per visit: added the first time, changed after that."""
    current = visit.test_purchases[0] if visit.test_purchases else None
    after = asdict(attempt)
    after["staff_member"] = clean_text(attempt.staff_member)
    before = {k: getattr(current, k) for k in after} if current else {}
    changes = {f"test purchase {k.replace('_', ' ')}": v
               for k, v in _diff(before, after).items()}
    was_sold = bool(current and current.sold)

    def apply() -> None:
        if current is None:
            visit.test_purchases.append(TestPurchase(premises_id=visit.premises_id, **after))
        else:
            _set(current, after)

    saved = _save(visit, edit, changes, actor, apply)
    if saved and visit.status == "submitted" and was_sold != attempt.sold:
        _record_sale_change(visit, visit.test_purchases[0], actor)
    return saved


def _record_sale_change(visit: Visit, purchase: TestPurchase, actor: Actor) -> None:
    """A submitted visit's test purchase corrected to a sale, or to a refusal."""
    if purchase.sold:
        audit.record(actor, "test_purchase_failed", f"Failed test purchase at premises "
                     f"{visit.premises_id} (corrected)", target=purchase,
                     details={"premises_id": visit.premises_id, "visit_id": visit.id})
    else:
        audit.record(actor, "test_purchase_cleared", f"Test purchase at premises "
                     f"{visit.premises_id} corrected to a refusal", target=purchase,
                     details={"premises_id": visit.premises_id, "visit_id": visit.id,
                              "reason": "corrected"})
    flush_visit()


def _save(visit: Visit, edit: Edit, changes: dict[str, Any], actor: Actor,
          apply: Callable[[], None]) -> bool:
    """Apply one section's changes under the visit's lock; False when nothing changed.

    An unchanged form saves nothing and raises nothing, so a retried or double-tapped save
    is not reported as someone else's change.
    """
    if not changes:
        return False
    if edit.lock_version != visit.lock_version:
        raise VisitConflict
    reason = (edit.reason or "").strip()
    if visit.status == "submitted" and not reason:
        raise ReasonRequired
    apply()
    visit.updated_at = utcnow()
    if visit.status == "submitted":
        db.session.add(VisitChange(visit_id=visit.id, changed_by_id=actor.user_id,
                                   reason=reason, changes=changes))
        audit.record(actor, "visit_edited", f"Edited visit {visit.id}: {reason}", target=visit,
                     details={"fields": sorted(changes)})
    flush_visit()
    return True



def _set(target: Any, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(target, key, value)


def _plain(value: Any) -> Any:
    """A value as stored in the history (JSON)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="minutes")
    return list(value) if isinstance(value, list | tuple) else value


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for key, value in after.items():
        old, new = _plain(before.get(key)), _plain(value)
        if old != new:
            changes[key] = {"from": old, "to": new}
    return changes
