"""The quiz-pass POST with jobs on Redis (the PDF and email leave the request) against the same
POST with jobs run in-process right after the commit (the demo mode), interleaved.

Each round prepares one fully answered attempt per mode (outside the timing), then times the
real `POST /training/quiz/<id>/check` through the Flask test client, alternating the order of
the two modes every round. Both apps share one SQLite database file; the Redis mode pushes to
a real Redis (db 5 by default, emptied before and after). No worker runs during the timing.

Run: .venv/bin/python bench/bench_jobs.py [--rounds N] [--redis-url redis://127.0.0.1:6379/5]
Figures go in docs/benchmarks.md ("Background jobs").
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from compliance import create_app
from compliance.audit import Actor
from compliance.demo_data import load_demo_data, load_demo_training
from compliance.extensions import db
from compliance.jobs import queue
from compliance.models import User
from compliance.quiz import services as quiz
from compliance.signing import create_self_signed
from compliance.training import services as training

EMAILS = {"inline": "staff@example.com", "redis": "trainee@example.com"}


def make_app(tmp: Path, mode: str, redis_url: str) -> Flask:
    key, cert = create_self_signed(tmp / "signing", "Knife Sales Compliance bench")
    return create_app({
        "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "MAIL_BACKEND": "memory", "WTF_CSRF_ENABLED": False, "SERVER_NAME": "localhost",
        "SESSION_COOKIE_SECURE": False, "PUBLIC_BASE_URL": "https://portal.example.org",
        "SIGNING_KEY_PATH": str(key), "SIGNING_CERT_PATH": str(cert),
        "JOBS_MODE": mode, "JOBS_REDIS_URL": redis_url})


def setup(tmp: Path, redis_url: str) -> dict[str, Flask]:
    apps = {mode: make_app(tmp, mode, redis_url) for mode in ("inline", "redis")}
    with apps["inline"].app_context():
        upgrade()
        load_demo_data()
        load_demo_training()
        trainee = db.session.scalar(select(User).where(User.email == EMAILS["redis"]))
        for module in training.current_modules(training.jurisdiction_for(trainee)):
            training.mark_read(trainee, module, Actor(None))
        db.session.commit()
    with apps["redis"].app_context():
        queue.connection().flushdb()
    return apps


def answered_attempt(app: Flask, email: str) -> int:
    """A new attempt with every answer right, committed, ready to submit."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        attempt = quiz.load_attempt(quiz.start_attempt(user, Actor(None)).id, user)
        for answer in attempt.answers:
            quiz.save_answer(attempt, answer, [answer.option_order.index(i) for i in
                                               sorted(answer.question.correct_indexes)])
        db.session.commit()
        return attempt.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        apps = setup(Path(tmp), args.redis_url)
        clients = {}
        for mode, app in apps.items():
            with app.app_context():
                session_id = db.session.scalar(select(User).where(
                    User.email == EMAILS[mode])).get_id()
            clients[mode] = app.test_client()
            with clients[mode].session_transaction() as s:
                s["_user_id"] = session_id
        samples: dict[str, list[float]] = {"inline": [], "redis": []}
        modes = ["inline", "redis"]
        for i in range(args.rounds + 1):  # round 0 warms up both
            for mode in modes if i % 2 == 0 else modes[::-1]:
                attempt_id = answered_attempt(apps[mode], EMAILS[mode])
                start = time.perf_counter()
                response = clients[mode].post(f"/training/quiz/{attempt_id}/check")
                elapsed = time.perf_counter() - start
                assert response.headers["Location"].endswith("/result"), response.location
                if i:
                    samples[mode].append(elapsed)
        with apps["redis"].app_context():
            queued = queue.get_queue().count
            queue.connection().flushdb()
    inline, redis_ = (statistics.median(samples[m]) for m in modes)
    print(f"quiz pass POST, jobs in-process: median {inline * 1000:7.1f} ms "
          f"(p90 {statistics.quantiles(samples['inline'], n=10)[-1] * 1000:7.1f} ms)")
    print(f"quiz pass POST, jobs on Redis:   median {redis_ * 1000:7.1f} ms "
          f"(p90 {statistics.quantiles(samples['redis'], n=10)[-1] * 1000:7.1f} ms)")
    print(f"ratio redis / inline: {redis_ / inline:4.2f} ({args.rounds} rounds each, "
          f"{queued} jobs left on the queue for a worker)")


if __name__ == "__main__":
    main()
