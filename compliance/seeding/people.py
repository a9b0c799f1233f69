"""Agencies, businesses, premises and people.

A few chains with hundreds of premises (the demo business among them), then many small
businesses of one to five premises. Every premises has a home agency (the demo officer's agency
looks after a tenth of them and all of the demo business's); people share one password hash.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from compliance.extensions import db
from compliance.models import Agency, Premises, Retailer, User
from compliance.seeding.plan import Plan
from compliance.seeding.writer import BulkWriter

FIRST = ("Alex", "Sam", "Jo", "Kim", "Priya", "Mohammed", "Olivia", "Amelia", "Noah", "Leo",
         "Isla", "Ava", "Oliver", "George", "Aisha", "Chen", "Fatima", "Liam", "Ruth", "Tom")
LAST = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Khan", "Patel", "Evans",
        "Thomas", "Roberts", "Walker", "Wright", "Green", "Hughes", "Campbell", "Kaur", "Davies")
TRADES = ("Hardware", "Kitchenware", "Garden Centre", "Cookshop", "Outdoor Supplies", "DIY",
          "Homeware", "Camping", "Cutlery", "General Store", "Tools", "Supermarket")
TOWNS = ("Exampleton", "Northbury", "Southwick", "Eastfield", "Westport", "Midford",
         "Lakeside", "Hillcrest", "Rivermouth", "Oakham", "Glenbrae", "Ballymore")
STOCK = ("kitchen-cutlery", "craft-diy", "garden-outdoor", "razors-blades")
JURISDICTIONS = (("england-wales", 0.85), ("scotland", 0.10), ("northern-ireland", 0.05))


@dataclass
class Shop:
    id: int
    retailer_id: int
    agency_id: int
    jurisdiction: str
    name: str


@dataclass
class Person:
    id: int
    name: str
    retailer_id: int
    premises_id: int


@dataclass
class World:
    now: datetime
    demo_agency_id: int
    demo_retailer_id: int
    agencies: list[int] = field(default_factory=list)
    officers: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    shops: list[Shop] = field(default_factory=list)
    shops_by_retailer: dict[int, list[Shop]] = field(default_factory=dict)
    staff: list[Person] = field(default_factory=list)
    managers: dict[int, int] = field(default_factory=dict)
    retailer_names: dict[int, str] = field(default_factory=dict)
    agency_names: dict[int, str] = field(default_factory=dict)
    admin_id: int = 0


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _jurisdiction(rng: random.Random) -> str:
    return rng.choices([j for j, _ in JURISDICTIONS], [w for _, w in JURISDICTIONS])[0]


def build_people(plan: Plan, rng: random.Random, w: BulkWriter, now: datetime,
                 password_hash: str) -> World:
    demo_agency = db.session.scalar(select(Agency).where(Agency.name == "Demo Constabulary"))
    demo_retailer = db.session.scalar(select(Retailer).where(Retailer.name == "Demo Hardware Ltd"))
    world = World(now=now, demo_agency_id=demo_agency.id, demo_retailer_id=demo_retailer.id)
    world.admin_id = db.session.scalar(select(User.id).where(User.email == "admin@example.com"))
    _agencies(plan, w, world, now)
    _businesses(plan, rng, w, world, now)
    _users(plan, rng, w, world, now, password_hash)
    return world


def _agencies(plan: Plan, w: BulkWriter, world: World, now: datetime) -> None:
    table = Agency.__table__
    first = w.reserve(table, plan.police_forces + plan.trading_standards)
    rows = [(first + i, f"Seeded Police Force {i + 1}", "police", now)
            for i in range(plan.police_forces)]
    rows += [(first + plan.police_forces + i, f"Seeded Trading Standards {i + 1}",
              "trading_standards", now) for i in range(plan.trading_standards)]
    w.write(table, ("id", "name", "kind", "created_at"), rows)
    world.agencies = [world.demo_agency_id] + [r[0] for r in rows]
    world.agency_names = {r[0]: r[1] for r in rows} | {world.demo_agency_id: "Demo Constabulary"}


def _home_agency(rng: random.Random, plan: Plan, world: World) -> int:
    if rng.random() < plan.demo_agency_share:
        return world.demo_agency_id
    return rng.choice(world.agencies[1:])


def _businesses(plan: Plan, rng: random.Random, w: BulkWriter, world: World,
                now: datetime) -> None:
    retailers = Retailer.__table__
    others = plan.retailers - 1
    first_retailer = w.reserve(retailers, others)
    ids = list(range(first_retailer, first_retailer + others))
    sizes = {rid: 1 for rid in ids}
    for rid, size in zip(ids, plan.chains, strict=False):
        sizes[rid] = size
    spare = plan.premises - plan.demo_premises - sum(sizes.values())
    small = ids[len(plan.chains):] or ids
    for _ in range(max(0, spare)):
        rid = rng.choice(small)
        if sizes[rid] < 5:
            sizes[rid] += 1
    sizes[world.demo_retailer_id] = plan.demo_premises - 2  # two demo premises already there
    created = now - timedelta(days=1500)
    rows = []
    for rid in ids:
        trade = rng.choice(TRADES)
        name = f"{rng.choice(LAST)} {trade} {'Group' if sizes[rid] > 5 else 'Ltd'} {rid}"
        world.retailer_names[rid] = name
        claimed = rng.random() > 0.05
        rows.append((rid, name, person_name(rng) if claimed else "",
                     f"owner{rid}@seed.example" if claimed else "", claimed, created))
    w.write(retailers, ("id", "name", "contact_name", "contact_email", "claimed", "created_at"),
            rows)
    unclaimed = {r[0] for r in rows if not r[4]}
    premises = Premises.__table__
    first = w.reserve(premises, sum(sizes.values()))
    pid = first
    shop_rows = []
    for rid, size in sizes.items():
        for n in range(size):
            agency = world.demo_agency_id if rid == world.demo_retailer_id \
                else _home_agency(rng, plan, world)
            town = rng.choice(TOWNS)
            shop = Shop(pid, rid, agency, _jurisdiction(rng), f"{town} branch {n + 1} ({pid})")
            world.shops.append(shop)
            shop_rows.append((pid, rid, shop.name, f"{rng.randint(1, 300)} High Street", town,
                              f"EX{rng.randint(1, 99)} {rng.randint(1, 9)}SD", shop.jurisdiction,
                              rng.random() < 0.2, rng.random() < 0.1,
                              rng.sample(STOCK, rng.randint(1, 3)),
                              f"SEED-{pid}" if rid in unclaimed else None, created))
            pid += 1
    w.write(premises, ("id", "retailer_id", "name", "address_line_1", "town", "postcode",
                       "jurisdiction", "sells_remotely", "click_and_collect", "stock_kinds",
                       "claim_code", "created_at"), shop_rows)
    for row in db.session.execute(select(Premises.id, Premises.retailer_id, Premises.name,
                                         Premises.jurisdiction).where(Premises.id < first)):
        world.shops.append(Shop(row.id, row.retailer_id, world.demo_agency_id,
                                row.jurisdiction.value, row.name))
    for shop in world.shops:
        world.shops_by_retailer.setdefault(shop.retailer_id, []).append(shop)
    world.managers = {rid: 0 for rid in ids if rid not in unclaimed}


def _users(plan: Plan, rng: random.Random, w: BulkWriter, world: World, now: datetime,
           password_hash: str) -> None:
    table = User.__table__
    existing = db.session.scalar(select(db.func.count(User.id))) or 0
    managers = len(world.managers)
    staff_total = max(plan.demo_staff, plan.users - existing - plan.officers - managers)
    first = w.reserve(table, plan.officers + managers + staff_total)
    rows: list[tuple] = []
    uid = first
    created = now - timedelta(days=1200)

    def add(role: str, name: str, retailer=None, premises=None, agency=None) -> int:
        nonlocal uid
        rows.append((uid, f"{role}{uid}@seed.example", name, password_hash, role, retailer,
                     premises, agency, True, 0, 1, created))
        uid += 1
        return uid - 1

    for i in range(plan.officers):
        agency = world.demo_agency_id if i < max(2, plan.officers // 10) \
            else rng.choice(world.agencies[1:])
        name = person_name(rng)
        world.officers.setdefault(agency, []).append((add("officer", name, agency=agency), name))
    for rid in world.managers:
        world.managers[rid] = add("manager", person_name(rng), retailer=rid)
    demo_shops = world.shops_by_retailer[world.demo_retailer_id]
    other_shops = [s for s in world.shops if s.retailer_id != world.demo_retailer_id]
    for i in range(staff_total):
        shop = demo_shops[i % len(demo_shops)] if i < plan.demo_staff \
            else rng.choice(other_shops)
        name = person_name(rng)
        person = Person(add("staff", name, retailer=shop.retailer_id, premises=shop.id), name,
                        shop.retailer_id, shop.id)
        world.staff.append(person)
    w.write(table, ("id", "email", "name", "password_hash", "role", "retailer_id",
                    "premises_id", "agency_id", "active", "failed_sign_ins", "session_version",
                    "created_at"), rows)
    demo_officer = db.session.scalar(select(User).where(User.email == "officer@example.com"))
    world.officers[world.demo_agency_id].append((demo_officer.id, demo_officer.name))
    world.managers[world.demo_retailer_id] = db.session.scalar(
        select(User.id).where(User.email == "manager@example.com"))
