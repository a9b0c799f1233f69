"""Operations, visits over four years, sparse findings, test purchases and follow-ups.

Each visit is made by an officer of the premises' home agency (nine in ten) or of another
agency. A quarter of visits belong to one of eight national operations (so the largest
operation report covers thousands of visits), a few to local operations; one in a hundred is a
draft. Findings are sparse: a fifth of the submitted visits carry one to three unmet items
(officers' full checklists are not generated).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from compliance.extensions import db
from compliance.models import ChecklistItem, FollowUp, Operation, TestPurchase, Visit, VisitFinding
from compliance.seeding.people import World, person_name
from compliance.seeding.plan import Plan
from compliance.seeding.writer import BulkWriter

TYPES = (("engagement", 55), ("test_purchase", 25), ("follow_up", 12), ("verification", 8))
OUTCOMES = (("compliant", 50), ("advice_given", 30), ("non_compliant", 15), ("referred", 5))
ADVICE = "Put Challenge 25 signs at the knife display and refresh staff training on ID."
YEARS = 4


def _weighted(rng: random.Random, table) -> str:
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


def _operations(plan: Plan, rng: random.Random, w: BulkWriter, world: World) -> list[tuple]:
    """(id, starts_on, areas, national) for each operation written."""
    today = world.now.date()
    ops = []
    for n in range(YEARS * 2):  # May and November, back from the latest
        year = today.year - n // 2
        month = 11 if n % 2 == 0 else 5
        start = date(year, month, 10)
        if start > today - timedelta(days=8):
            start = date(year - 1, month, 10)
        ops.append((f"Operation Sceptre national week {start:%B %Y}", start, True))
    for n in range(max(1, round(200 * plan.scale))):
        start = today - timedelta(days=rng.randint(8, YEARS * 365))
        ops.append((f"Local knife crime operation {n + 1} ({start:%b %Y})", start, False))
    table = Operation.__table__
    first = w.reserve(table, len(ops))
    rows = [(first + i, name, start, start + timedelta(days=6), ["North", "South", "Centre"],
             world.admin_id, world.now) for i, (name, start, _) in enumerate(ops)]
    w.write(table, ("id", "name", "starts_on", "ends_on", "areas", "created_by_id",
                    "created_at"), rows)
    return [(r[0], r[2], national) for r, (_, _, national) in zip(rows, ops, strict=True)]


def build_visits(plan: Plan, rng: random.Random, w: BulkWriter, world: World) -> list[tuple]:
    """Returns recent compliant visits, for premises certificates: (id, premises, at, agency)."""
    ops = _operations(plan, rng, w, world)
    national = [op for op in ops if op[2]]
    local = [op for op in ops if not op[2]]
    first = w.reserve(Visit.__table__, plan.visits)
    other_agencies = [a for a in world.agencies if a in world.officers]
    visits = []
    for vid in range(first, first + plan.visits):
        shop = rng.choice(world.shops)
        agency = shop.agency_id if shop.agency_id in world.officers and rng.random() < 0.9 \
            else rng.choice(other_agencies)
        officer_id, officer = rng.choice(world.officers[agency])
        pick = rng.random()
        op = rng.choice(national) if pick < 0.25 else rng.choice(local) if pick < 0.30 else None
        day = op[1] + timedelta(days=rng.randint(0, 6)) if op else \
            world.now.date() - timedelta(days=rng.randint(1, YEARS * 365))
        at = datetime.combine(day, time(rng.randint(9, 17), rng.choice((0, 15, 30, 45))),
                              tzinfo=UTC)
        draft = rng.random() < 0.01
        kind = _weighted(rng, TYPES)
        outcome = None if draft else _weighted(rng, OUTCOMES)
        visits.append((vid, shop.id, officer_id, agency, op[0] if op else None, f"seed-{vid}",
                       "draft" if draft else "submitted", at, officer, kind,
                       "North" if op else None, person_name(rng), "Manager",
                       [] if draft else rng.sample(("posters", "leaflets", "training_sign_up"),
                                                    rng.randint(0, 2)),
                       ADVICE if outcome in ("advice_given", "non_compliant") else None,
                       outcome, at, at, None if draft else at + timedelta(hours=1), 1,
                       shop.retailer_id))  # v[20]: the business, for its lists' indexes
    w.write(Visit.__table__, (
        "id", "premises_id", "officer_id", "agency_id", "operation_id", "idempotency_key",
        "status", "visited_at", "officers_present", "visit_type", "area", "person_spoken_to",
        "person_role", "materials", "advice_given", "outcome", "created_at", "updated_at",
        "submitted_at", "lock_version", "retailer_id"), visits)
    _findings(rng, w, visits)
    _purchases(rng, w, world, visits)
    _follow_ups(rng, w, world, visits)
    year_ago = world.now - timedelta(days=330)
    return [(v[0], v[1], v[7], world.agency_names[v[3]]) for v in visits
            if v[15] == "compliant" and v[7] > year_ago]


def _findings(rng: random.Random, w: BulkWriter, visits: list[tuple]) -> None:
    items = list(db.session.scalars(select(ChecklistItem.id).where(ChecklistItem.is_current)))
    table = VisitFinding.__table__
    rows = []
    for v in visits:
        if v[6] == "submitted" and rng.random() < 0.2:
            for item in rng.sample(items, rng.randint(1, 3)):
                rows.append((v[0], item, rng.choice(("no", "partly")), None))
    first = w.reserve(table, len(rows))
    w.write(table, ("id", "visit_id", "checklist_item_id", "answer", "note"),
            ((first + i, *r) for i, r in enumerate(rows)))


def _purchases(rng: random.Random, w: BulkWriter, world: World, visits: list[tuple]) -> None:
    table = TestPurchase.__table__
    rows = []
    recent = world.now - timedelta(days=90)
    for v in visits:
        if v[9] != "test_purchase" or v[6] != "submitted":
            continue
        sold = rng.random() < 0.12
        resolved = v[7] + timedelta(days=30) if sold and v[7] < recent else None
        rows.append((v[0], v[1], rng.choice((14, 15, 16, 17)), "Kitchen knife", not sold, sold,
                     "Sales assistant" if sold else None, sold, resolved))
    first = w.reserve(table, len(rows))
    w.write(table, ("id", "visit_id", "premises_id", "volunteer_age", "item_attempted",
                    "id_asked", "sold", "staff_member", "letter_sent", "resolved_at"),
            ((first + i, *r) for i, r in enumerate(rows)))


def _follow_ups(rng: random.Random, w: BulkWriter, world: World, visits: list[tuple]) -> None:
    table = FollowUp.__table__
    rows = []
    for v in visits:
        if v[15] != "non_compliant" and not (v[15] == "advice_given" and rng.random() < 0.1):
            continue
        due = v[7].date() + timedelta(days=28)
        old = due < world.now.date() - timedelta(days=60)
        status = "closed" if old and rng.random() < 0.9 else rng.choice(
            ("open", "open", "answered", "returned", "closed"))
        answered = status in ("answered", "returned", "closed")
        rows.append((v[0], v[1], "Move bladed items behind the counter and send a photo.", due,
                     "A photo of the display", status,
                     "Done: photo attached." if answered else None,
                     v[7] + timedelta(days=10) if answered else None,
                     v[7] + timedelta(days=20) if status == "closed" else None, v[2], v[7],
                     v[20], v[3]))
    first = w.reserve(table, len(rows))
    w.write(table, ("id", "visit_id", "premises_id", "action", "due_on", "evidence_wanted",
                    "status", "response_note", "responded_at", "closed_at", "created_by_id",
                    "created_at", "retailer_id", "agency_id"),
            ((first + i, *r) for i, r in enumerate(rows)))
