"""A year of history: audit events and finished background jobs.

A portal in service for a year has far more of both than of anything else; pages that read
them (the audit log, the background jobs page, the admins' home) must stay quick beside them.
Events point at real people, shops and training modules and carry the summaries the services
write, so the audit log reads as it would ("Sam Patel signed in", "Profile of Ballymore
branch 12 changed"); jobs are the certificate
PDFs and emails a year of issuing leaves behind, all finished.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import func, select

from compliance.certificates.jobs import EMAIL_JOB
from compliance.certificates.services import RENDER_JOB
from compliance.extensions import db
from compliance.models import AuditEvent, Certificate, JobOutbox, TrainingModule
from compliance.seeding.people import World
from compliance.seeding.plan import Plan
from compliance.seeding.writer import BulkWriter

YEAR_MINUTES = 365 * 24 * 60
# What a year of events is mostly made of (action, share): people signing in and out and
# reading modules; managers keeping their premises' profiles; failed sign-ins.
MIX = (("sign_in", 0.45), ("sign_out", 0.25), ("module_read", 0.20),
       ("premises_profile_updated", 0.06), ("sign_in_failed", 0.04))


def build_history(plan: Plan, rng: random.Random, w: BulkWriter, world: World) -> None:
    _audit_events(plan, rng, w, world)
    _finished_jobs(plan, rng, w, world)


def _audit_events(plan: Plan, rng: random.Random, w: BulkWriter, world: World) -> None:
    table = AuditEvent.__table__
    first = w.reserve(table, plan.audit_events)
    modules = list(db.session.execute(
        select(TrainingModule.id, TrainingModule.slug, TrainingModule.version)))
    managers = list(world.managers.items())  # (retailer id, manager id)
    shops_of = world.shops_by_retailer
    actions = [a for a, _ in MIX]
    weights = [s for _, s in MIX]

    def rows() -> Iterator[tuple]:
        for i in range(plan.audit_events):
            action = rng.choices(actions, weights)[0]
            person = rng.choice(world.staff)
            at = world.now - timedelta(minutes=rng.randint(1, YEAR_MINUTES))
            if action == "module_read":
                module_id, slug, version = rng.choice(modules)
                row = (person.id, "TrainingModule", module_id, f"Read module {slug} v{version}")
            elif action == "premises_profile_updated" and managers:
                retailer_id, manager_id = rng.choice(managers)
                shop = rng.choice(shops_of[retailer_id])
                row = (manager_id, "Premises", shop.id,
                       f"Updated the profile of premises {shop.name}")
            elif action == "sign_in_failed":
                row = (None, None, None, "Failed sign-in for an unknown email address")
            else:
                summary = "Signed in" if action == "sign_in" else "Signed out"
                row = (person.id, "User", person.id, summary)
            yield (first + i, at, row[0], action, row[1], row[2], row[3], "seed")

    w.write(table, ("id", "at", "actor_id", "action", "target_type", "target_id", "summary",
                    "ip_address"), rows())


def _finished_jobs(plan: Plan, rng: random.Random, w: BulkWriter, world: World) -> None:
    """Each issued certificate's render and email jobs, run within seconds, long finished."""
    table = JobOutbox.__table__
    first = w.reserve(table, plan.finished_jobs)
    low, high = db.session.execute(select(func.min(Certificate.id), func.max(Certificate.id))).one()

    def rows() -> Iterator[tuple]:
        for i in range(plan.finished_jobs):
            created = world.now - timedelta(minutes=rng.randint(60, YEAR_MINUTES))
            name = RENDER_JOB if i % 2 == 0 else EMAIL_JOB
            yield (first + i, f"{rng.getrandbits(128):032x}", name,
                   {"certificate_id": rng.randint(low, high)}, created,
                   created + timedelta(seconds=1), 1,
                   created + timedelta(seconds=rng.randint(2, 30)))

    w.write(table, ("id", "key", "name", "payload", "created_at", "enqueued_at", "attempts",
                    "finished_at"), rows())
