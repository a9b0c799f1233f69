"""Quiz attempts and answers, training completions, self-assessments, refusals, sign-offs.

Attempts are submitted (four in five pass); each shows 15 current questions for the learner's
jurisdiction in a shuffled order, as a real attempt does. Self-assessments are submitted ones
with a score and rating but no per-item answers (the demo's own assessments have them).
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from compliance.extensions import db
from compliance.models import (
    Assessment,
    AttemptAnswer,
    Question,
    QuizAttempt,
    Refusal,
    RefusalSignOff,
    TrainingCompletion,
)
from compliance.seeding.people import World, person_name
from compliance.seeding.plan import QUESTIONS_PER_ATTEMPT, Plan
from compliance.seeding.writer import BulkWriter

PRODUCTS = ("Kitchen knife", "Craft knife", "Pack of razor blades", "Axe", "Pruning saw",
            "Multi-tool", "Box cutter", "Chef's knife set")
REASONS = ("no_id", "id_not_acceptable", "proxy", "behaviour", "other")


def build_quiz(plan: Plan, rng: random.Random, w: BulkWriter, world: World) -> list[tuple]:
    """Returns the completions written: (id, user_id, completed_at, expires_at, score)."""
    pools: dict[str, list[tuple[int, int, frozenset[int]]]] = {}
    for q in db.session.scalars(select(Question).where(Question.is_current)):
        for j in q.jurisdictions:
            pools.setdefault(j, []).append((q.id, len(q.options), q.correct_indexes))
    staff = world.staff
    shops = {s.id: s for s in world.shops}
    n = plan.attempts
    first_attempt = w.reserve(QuizAttempt.__table__, n)
    first_answer = w.reserve(AttemptAnswer.__table__, n * QUESTIONS_PER_ATTEMPT)
    attempts, answers, completions = [], [], []
    answer_id = first_answer
    for i in range(n):
        person = staff[i] if i < len(staff) else rng.choice(staff)
        jurisdiction = shops[person.premises_id].jurisdiction
        pool = pools.get(jurisdiction) or next(iter(pools.values()))
        started = world.now - timedelta(days=rng.randint(1, 700), minutes=rng.randint(0, 600))
        good = rng.random() < 0.8
        score = 0
        aid = first_attempt + i
        for position, (qid, size, correct) in enumerate(
                rng.sample(pool, min(QUESTIONS_PER_ATTEMPT, len(pool))), start=1):
            order = list(range(size))
            rng.shuffle(order)
            right = good or rng.random() < 0.6
            chosen = sorted(correct) if right else [next(k for k in range(size)
                                                         if k not in correct)]
            score += right
            answers.append((answer_id, aid, position, qid, order, chosen,
                            started + timedelta(minutes=position), right))
            answer_id += 1
        total = min(QUESTIONS_PER_ATTEMPT, len(pool))
        passed = score * 100 >= 80 * total
        submitted = started + timedelta(minutes=20)
        attempts.append((aid, person.id, jurisdiction, started, submitted, score, total, 80,
                         passed))
        if passed:
            completions.append((aid, person.id, submitted, submitted + timedelta(days=365),
                                round(100 * score / total)))
    w.write(QuizAttempt.__table__, ("id", "user_id", "jurisdiction", "started_at",
                                    "submitted_at", "score", "total", "pass_mark", "passed"),
            attempts)
    w.write(AttemptAnswer.__table__, ("id", "attempt_id", "position", "question_id",
                                      "option_order", "chosen", "answered_at", "correct"),
            answers)
    table = TrainingCompletion.__table__
    first = w.reserve(table, len(completions))
    rows = [(first + i, *c) for i, c in enumerate(completions)]
    w.write(table, ("id", "attempt_id", "user_id", "completed_at", "expires_at",
                    "score_percent"), rows)
    return [(r[0], r[2], r[3], r[4], r[5]) for r in rows]


def build_assessments(plan: Plan, rng: random.Random, w: BulkWriter, world: World) -> None:
    table = Assessment.__table__
    first = w.reserve(table, plan.assessments)
    rows = []
    for i in range(plan.assessments):
        shop = world.shops[i % len(world.shops)] if i < len(world.shops) \
            else rng.choice(world.shops)
        by = world.managers.get(shop.retailer_id) or world.admin_id
        submitted = world.now - timedelta(days=rng.randint(1, 1000))
        score = rng.randint(35, 100)
        rating = "green" if score >= 85 else "amber" if score >= 60 else "red"
        applicable = rng.randint(60, 80)
        rows.append((first + i, shop.id, "submitted", by, submitted - timedelta(hours=2),
                     submitted, by, submitted, {}, person_name(rng),
                     round(applicable * score / 100, 1), applicable, score, rating,
                     submitted + timedelta(days=365), 1))
    w.write(table, ("id", "premises_id", "status", "started_by_id", "started_at", "updated_at",
                    "submitted_by_id", "submitted_at", "profile", "declaration_name",
                    "points_met", "points_applicable", "score_percent", "rating",
                    "next_due_at", "lock_version"), rows)


def build_refusals(plan: Plan, rng: random.Random, w: BulkWriter, world: World) -> None:
    """Refusals over two years; the demo business's shops keep a busy register."""
    table = Refusal.__table__
    first = w.reserve(table, plan.refusals)
    demo_shops = world.shops_by_retailer[world.demo_retailer_id]
    staff_at: dict[int, tuple[int, str]] = {}
    for person in world.staff:
        staff_at.setdefault(person.premises_id, (person.id, person.name))
    rows = []
    for i in range(plan.refusals):
        shop = rng.choice(demo_shops) if rng.random() < 0.1 else rng.choice(world.shops)
        refuser = staff_at.get(shop.id)
        recorder = refuser[0] if refuser else (world.managers.get(shop.retailer_id)
                                               or world.admin_id)
        at = world.now - timedelta(days=rng.randint(0, 730), minutes=rng.randint(0, 900))
        rows.append((first + i, shop.id, at, rng.choice(PRODUCTS), rng.choice(REASONS),
                     refuser[0] if refuser else None,
                     refuser[1] if refuser else person_name(rng), recorder, at))
    w.write(table, ("id", "premises_id", "occurred_at", "product", "reason", "refused_by_id",
                    "refused_by_name", "recorded_by_id", "recorded_at"), rows)
    signer = world.managers.get(world.demo_retailer_id) or world.admin_id
    table = RefusalSignOff.__table__
    today = world.now.date()
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=k) for k in range(2, 14)]
    taken = set(db.session.execute(select(RefusalSignOff.premises_id, RefusalSignOff.week_start)))
    pairs = [(s.id, week) for s in demo_shops for week in weeks if (s.id, week) not in taken]
    first = w.reserve(table, len(pairs))
    w.write(table, ("id", "premises_id", "week_start", "signed_by_id", "signed_at", "entries"),
            ((first + i, pid, week, signer, world.now, 0) for i, (pid, week) in
             enumerate(pairs)))
