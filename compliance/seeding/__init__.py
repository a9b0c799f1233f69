"""The data generator: `seed(scale)` builds a national-scale data set (scale 1.0) or a share of it.

The demo data is loaded first through the real services (so the demo accounts, with the
password in compliance.demo.DEMO_PASSWORD, sign in and own real records), then the bulk rows
are written with COPY on PostgreSQL or executemany on SQLite. The same seed and day give the
same data. The demo business (Demo Hardware Ltd) is one of the largest chains and the demo
officer's agency (Demo Constabulary) looks after a tenth of all premises, so the demo accounts
see the worst case. Callers commit.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from sqlalchemy import select

from compliance.extensions import db
from compliance.models import User
from compliance.models.base import utcnow
from compliance.seeding.plan import Plan, plan_for

LEARNER_EMAIL = "learner@seed.example"


class AlreadySeeded(RuntimeError):
    """The database already holds seeded rows: seed an empty (migrated) database."""


@dataclass
class SeedReport:
    plan: Plan
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        rows = [f"{table}: {count:,}" for table, count in sorted(self.counts.items())]
        return rows


def load_demo() -> None:
    from compliance import demo_data

    demo_data.load_demo_data()
    demo_data.load_demo_training()
    demo_data.load_demo_assessments()
    demo_data.load_demo_certificates()
    demo_data.load_demo_visits()
    demo_data.load_demo_verification()


def seed(scale: float, rng_seed: int = 2026, progress=None) -> SeedReport:
    from compliance.priorities.table import rebuild
    from compliance.seeding.certificates import build_certificates
    from compliance.seeding.history import build_history
    from compliance.seeding.people import build_people
    from compliance.seeding.records import build_assessments, build_quiz, build_refusals
    from compliance.seeding.visits import build_visits
    from compliance.seeding.writer import BulkWriter

    plan = plan_for(scale)
    report = SeedReport(plan)
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[name] = now - clock
        clock = now
        if progress:
            progress(f"{name}: {report.seconds[name]:.1f} s")

    load_demo()
    if db.session.scalar(select(User.id).where(User.email == LEARNER_EMAIL)) is not None:
        raise AlreadySeeded("this database is already seeded")
    step("demo data")
    rng = random.Random(rng_seed)  # noqa: S311 - repeatable test data, not secrets
    writer = BulkWriter()
    password_hash = db.session.scalar(select(User.password_hash).where(
        User.email == "admin@example.com"))  # hashed once by the demo loader, shared by all
    world = build_people(plan, rng, writer, utcnow(), password_hash)
    step("people")
    verified = build_visits(plan, rng, writer, world)
    step("visits")
    completions = build_quiz(plan, rng, writer, world)
    step("quiz")
    build_assessments(plan, rng, writer, world)
    build_refusals(plan, rng, writer, world)
    step("assessments and refusals")
    build_certificates(plan, rng, writer, world, completions, verified)
    step("certificates")
    build_history(plan, rng, writer, world)
    step("audit events and finished jobs")
    writer.finish()
    _retally()
    _learner_with_open_quiz(world, password_hash)
    step("learner")
    db.session.flush()
    rebuild(db.session.connection())  # COPY bypassed the session hooks that keep it
    step("priority table")
    report.counts = writer.counts
    return report


def _retally() -> None:
    """The visits were copied in around the portal's services, so the operation report's
    tallies are worked out once from them (compliance/tallies)."""
    from compliance import tallies

    tallies.rebuild(db.session.connection())


def _learner_with_open_quiz(world, password_hash: str) -> None:
    """A demo-business learner who has read every module and is part way through the quiz."""
    from compliance.audit import Actor
    from compliance.models import Role
    from compliance.quiz import services as quiz
    from compliance.training import services as training

    shop = world.shops_by_retailer[world.demo_retailer_id][0]
    user = User(email=LEARNER_EMAIL, name="Lee Learner", password_hash=password_hash,
                role=Role.STAFF, retailer_id=shop.retailer_id, premises_id=shop.id)
    db.session.add(user)
    db.session.flush()
    actor = Actor(user=None, ip_address="seed")
    for module in training.current_modules(training.jurisdiction_for(user)):
        training.mark_read(user, module, actor)
    quiz.start_attempt(user, actor, random.Random(1))  # noqa: S311


__all__ = ["AlreadySeeded", "LEARNER_EMAIL", "SeedReport", "seed", "plan_for"]
