"""What an officer's device keeps for a day out of signal: the checklist version, the
operations, and the premises they are likely to visit (their priority list and recent visits),
capped so the bundle stays small on a phone."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from compliance.extensions import db
from compliance.models import ChecklistItem, Premises, User, Visit
from compliance.operations import services as operations
from compliance.priorities.services import Shop, priority_list
from compliance.visits.queries import visible_visits
from compliance.visits.timezone import uk_today

MAX_PREMISES = 200  # the size cap: a few hundred shops is a week of visits and ~40 kB of JSON
RECENT_VISITS = 100


def checklist_version() -> str:
    """A short fingerprint of the current checklist items (one query)."""
    ids = db.session.scalars(select(ChecklistItem.id).where(ChecklistItem.is_current)
                             .order_by(ChecklistItem.id))
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]


def _shop(premises: Premises | Shop, reasons: list[str]) -> dict[str, Any]:
    return {"id": premises.id, "name": premises.name, "address": premises.address_line_1,
            "town": premises.town, "postcode": premises.postcode,
            "business": premises.retailer.name, "reasons": reasons}


def likely_premises(user: User, cap: int | None = None) -> list[dict[str, Any]]:
    """The priority list first, then shops from recent visits, at most `cap` of them."""
    cap = MAX_PREMISES if cap is None else cap
    shops: dict[int, dict[str, Any]] = {}
    for row in priority_list(user, limit=cap):  # not the list's default 1,000 (130 ms)
        shops[row.premises.id] = _shop(row.premises, [str(r.text) for r in row.reasons])
    recent = db.session.scalars(
        select(Visit).options(joinedload(Visit.premises).joinedload(Premises.retailer))
        .where(Visit.id.in_(visible_visits(user)))
        .order_by(Visit.visited_at.desc(), Visit.id.desc()).limit(RECENT_VISITS))
    for visit in recent:
        if len(shops) >= cap:
            break
        shops.setdefault(visit.premises_id, _shop(visit.premises, []))
    return list(shops.values())


def bundle(user: User) -> dict[str, Any]:
    ops = operations.operations_offered(uk_today())  # as the offline form offers them
    return {
        "user": user.id,
        "checklist_version": checklist_version(),
        "operations": [{"value": value, "label": str(label)}
                       for value, label in operations.operation_area_choices(ops)],
        "premises": likely_premises(user),
        "cap": MAX_PREMISES,
    }
