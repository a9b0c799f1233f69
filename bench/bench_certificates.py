"""Certificate speed, as ratios against baselines measured in the same run.

1. Issuing a certificate (render, sign, hash, store, audit) against a bare WeasyPrint render of
   the same page: the ratio is the cost of everything around the render. Render + sign alone
   (no database) is reported against the same baseline. The three are interleaved call by
   call, so a slow patch of the machine affects them alike.
2. Downloading a stored certificate through the real route (sign-in, permission check, load)
   against a bare Flask route that sends the same bytes from memory.

Run: .venv/bin/python bench/bench_certificates.py [--rounds N]
Figures go in docs/benchmarks.md. Absolute times vary by machine; the ratios are what we track.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from flask import Flask, send_file
from flask_migrate import upgrade

from compliance import create_app, jobs
from compliance.audit import Actor
from compliance.certificates import services
from compliance.certificates.pdf import render_certificate_html, render_certificate_pdf
from compliance.demo_data import load_demo_data
from compliance.extensions import db
from compliance.models import QuizAttempt, Role, TrainingCompletion, User
from compliance.models.base import utcnow
from compliance.signing import create_self_signed, sign_pdf


def timed(fn, rounds: int) -> float:
    """Median seconds per call over `rounds` calls, after one warm-up call."""
    fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def interleaved(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median seconds per call of each function, called in turn (order rotating) each round."""
    for fn in fns.values():
        fn()  # warm-up
    samples: dict[str, list[float]] = {name: [] for name in fns}
    names = list(fns)
    for i in range(rounds):
        for name in names[i % len(names):] + names[:i % len(names)]:
            start = time.perf_counter()
            fns[name]()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def setup(tmp: Path) -> Flask:
    key, cert = create_self_signed(tmp / "signing", "Knife Sales Compliance bench")
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{tmp / 'bench.sqlite3'}", "MAIL_BACKEND": "memory",
                      "WTF_CSRF_ENABLED": False, "SERVER_NAME": "localhost",
                      "SESSION_COOKIE_SECURE": False, "SIGNING_KEY_PATH": str(key),
                      "SIGNING_CERT_PATH": str(cert), "JOBS_MODE": "inline",
                      "PUBLIC_BASE_URL": "https://portal.example.org"})
    with app.app_context():
        upgrade()
        load_demo_data()
        db.session.commit()
    return app


def completion(user: User) -> TrainingCompletion:
    attempt = QuizAttempt(user_id=user.id, jurisdiction="england-wales", total=15, pass_mark=80,
                          submitted_at=utcnow(), score=15, passed=True)
    db.session.add(attempt)
    db.session.flush()
    done = TrainingCompletion(user_id=user.id, attempt_id=attempt.id, completed_at=utcnow(),
                              expires_at=utcnow(), score_percent=100)
    db.session.add(done)
    db.session.flush()
    return done


def bench_issue(app: Flask, rounds: int) -> dict[str, float]:
    from weasyprint import HTML

    from compliance.certificates.pdf import CertificateData, StaticOnlyFetcher

    with app.test_request_context():
        staff = db.session.scalar(db.select(User).where(User.role == Role.STAFF))
        static = Path(app.static_folder)
        data = CertificateData(code="KSC-2345-6789-ABC8", kind="staff", title="Certificate",
                               holder_name=staff.name, business_name="Demo Hardware Ltd",
                               premises_name=None, premises_address=None, issued_on="today",
                               expires_on="next year",
                               verify_url="http://localhost/verify/KSC-2345-6789-ABC8")
        html = render_certificate_html(data)

        def bare():
            HTML(string=html, base_url=static.as_uri() + "/",
                 url_fetcher=StaticOnlyFetcher(static)).write_pdf(pdf_variant="pdf/ua-1",
                                                                  pdf_tags=True)

        def issue():
            services.issue_staff_certificate(completion(staff), actor=Actor(None),
                                             verify_url=lambda c: f"http://localhost/verify/{c}")
            db.session.commit()
            jobs.dispatch_ready()  # render, sign, store and email in-process, as the demo does

        def render_and_sign():
            sign_pdf(render_certificate_pdf(data))

        return interleaved({"bare": bare, "render_sign": render_and_sign, "issue": issue},
                           rounds)


def bench_download(app: Flask, rounds: int) -> tuple[float, float]:
    with app.app_context():
        cert = db.session.scalar(db.select(services.Certificate).limit(1))
        code, pdf = cert.code, cert.pdf
        holder = db.session.get(User, cert.holder_user_id)
        session_id = holder.get_id()
    bare_app = Flask("bare")
    bare_app.add_url_rule("/pdf", "pdf", lambda: send_file(BytesIO(pdf),
                                                           mimetype="application/pdf"))
    bare_client = bare_app.test_client()
    client = app.test_client()
    with client.session_transaction() as s:
        s["_user_id"] = session_id

    def real():
        assert client.get(f"/certificates/{code}.pdf").data == pdf

    def bare():
        assert bare_client.get("/pdf").data == pdf

    return timed(bare, rounds * 20), timed(real, rounds * 20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = setup(Path(tmp))
        issued = bench_issue(app, args.rounds)
        bare_send, download = bench_download(app, args.rounds)
    bare_render = issued["bare"]
    for label, name in (("render + sign", "render_sign"), ("issue certificate", "issue")):
        print(f"{label:<22} {issued[name] * 1000:8.1f} ms  vs bare WeasyPrint render "
              f"{bare_render * 1000:8.1f} ms  ratio {issued[name] / bare_render:5.2f}")
    print(f"download certificate   {download * 1000:8.2f} ms  vs bare Flask send_file "
          f"{bare_send * 1000:8.2f} ms  ratio {download / bare_send:5.2f}")


if __name__ == "__main__":
    main()
