"""The data generator at a tiny scale, on the test database (SQLite or PostgreSQL)."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from bench.pages import key_pages
from compliance.demo import DEMO_PASSWORD
from compliance.extensions import db
from compliance.models import (
    Agency,
    AttemptAnswer,
    AuditEvent,
    Certificate,
    JobOutbox,
    Premises,
    Refusal,
    Retailer,
    User,
    Visit,
)
from compliance.models.priorities import ALL_PREMISES, PremisesPriority
from compliance.seeding import LEARNER_EMAIL, AlreadySeeded, plan_for, seed
from compliance.seeding.certificates import seeded_pdf
from tests.settle import settle

SCALE = 0.001


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_cli_seeds_counts_in_proportion_to_the_national_figures(runner, count_queries):
    with count_queries() as statements:
        result = runner.invoke(args=["bench", "seed", "--scale", str(SCALE), "--no-migrate"])
    assert result.exit_code == 0, result.output
    assert f"Seeded scale {SCALE}" in result.output
    plan = plan_for(SCALE)
    assert (plan.premises, plan.visits, plan.users) == (50, 500, 100)
    # The demo data adds a handful of rows of its own on top of each figure.
    assert plan.premises <= count(Premises) <= plan.premises + 10
    assert plan.retailers <= count(Retailer) <= plan.retailers + 10
    assert plan.users - 5 <= count(User) <= plan.users + 10
    assert plan.visits <= count(Visit) <= plan.visits + 20
    assert plan.quiz_answers - 15 <= count(AttemptAnswer) <= plan.quiz_answers + 60
    assert plan.refusals <= count(Refusal) <= plan.refusals + 40
    assert plan.certificates <= count(Certificate) <= plan.certificates + 10
    assert count(Agency) == 2 + plan.police_forces + plan.trading_standards
    # The demo officer's agency and the demo business hold the worst case.
    demo = db.session.scalar(select(Retailer.id).where(Retailer.name == "Demo Hardware Ltd"))
    assert db.session.scalar(select(func.count(Premises.id)).where(
        Premises.retailer_id == demo)) == plan.demo_premises
    officer = db.session.scalar(select(User).where(User.email == "officer@example.com"))
    agency_visits = db.session.scalar(select(func.count(Visit.id)).where(
        Visit.agency_id == officer.agency_id))
    assert agency_visits > plan.visits * plan.demo_agency_share / 2
    # Seeded people share the demo password's one hash (hashed once, by the demo loader).
    admin_hash = db.session.scalar(select(User.password_hash).where(
        User.email == "admin@example.com"))
    assert db.session.scalar(select(func.count(func.distinct(User.password_hash))).where(
        User.email.like("%@seed.example"))) == 1
    assert db.session.scalar(select(User.password_hash).where(
        User.email == LEARNER_EMAIL)) == admin_hash
    # COPY bypasses the session hooks: the seeder rebuilt the priority table itself.
    every = select(func.count()).select_from(PremisesPriority).where(
        PremisesPriority.scope_id == ALL_PREMISES)
    assert db.session.scalar(every) == count(Premises)
    statistics_refreshed_before_the_tables_built_from_the_copy(statements["statements"])
    again = runner.invoke(args=["bench", "seed", "--scale", str(SCALE), "--no-migrate"])
    assert again.exit_code != 0 and "already seeded" in again.output
    with pytest.raises(AlreadySeeded):
        seed(SCALE)
    seeded_certificates_share_one_valid_pdf_with_its_hash()


def statistics_refreshed_before_the_tables_built_from_the_copy(statements: list[str]) -> None:
    """On PostgreSQL the copied tables are ANALYZEd before the tallies and the priority
    table are worked out from them: planned on an empty table's statistics, the national
    seed's priority table took 47 s where it takes 8."""
    if db.engine.dialect.name != "postgresql":
        return
    analyzed = next((i for i, s in enumerate(statements)
                     if s.startswith("ANALYZE") and "visits" in s), len(statements))
    rebuilt = max(i for i, s in enumerate(statements) if "INSERT INTO premises_priority" in s)
    assert analyzed < rebuilt
    analyzed = statements[analyzed]
    assert all(table in analyzed for table in ("visits", "users", "follow_ups", "refusals"))


def seeded_certificates_share_one_valid_pdf_with_its_hash() -> None:
    pdf = seeded_pdf()
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    offsets = [int(o) for o in re.findall(rb"(\d{10}) 00000 n", pdf)]
    for number, offset in enumerate(offsets, start=1):  # the cross-reference table is right
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
    seeded = db.session.scalars(select(Certificate).where(
        Certificate.holder_name != "Jo Staff", Certificate.sha256 == hashlib.sha256(
            pdf).hexdigest())).all()
    assert len(seeded) >= plan_for(SCALE).certificates - 10
    assert len({c.code for c in seeded}) == len(seeded)
    text = PdfReader(io.BytesIO(seeded[0].pdf)).pages[0].extract_text()
    assert "Seeded test certificate" in text


def test_demo_accounts_sign_in_and_every_key_page_answers(client):
    seed(SCALE)
    settle()  # the demo certificates' PDFs, as the seed command renders them
    pages = key_pages()
    users = {page.user for page in pages if page.user}
    assert {"officer@example.com", "manager@example.com", "staff@example.com",
            LEARNER_EMAIL} <= users
    for email in sorted(users):
        response = client.post("/auth/sign-in", data={"email": email,
                                                      "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        for page in pages:
            if page.user == email:
                got = client.get(page.path)
                assert got.status_code == 200, (page.name, got.status_code)
        client.post("/auth/sign-out")
        client.delete_cookie("session", domain="localhost")
    for page in pages:
        if page.user is None:
            assert client.get(page.path).status_code == 200, page.name


def test_a_year_of_history_reads_as_the_portal_would_have_written_it(client, login_as):
    """Audit events and finished jobs: the rows the audit log and the jobs page read."""
    seed(SCALE)
    plan = plan_for(SCALE)
    # The learner's module reads, through the real service, add a few of their own.
    seeded = select(func.count()).select_from(AuditEvent).where(AuditEvent.ip_address == "seed")
    assert plan.audit_events <= db.session.scalar(seeded) <= plan.audit_events + 40
    finished = select(func.count()).select_from(JobOutbox).where(
        JobOutbox.finished_at.is_not(None))
    assert db.session.scalar(finished) >= plan.finished_jobs
    # Every event's target is a real row, so the log names it.
    admin = db.session.scalar(select(User).where(User.email == "admin@example.com"))
    login_as(admin)
    page = client.get("/admin/audit", query_string={"action": "premises_profile_updated"}).text
    shop = db.session.scalar(select(Premises.name).join(
        AuditEvent, AuditEvent.target_id == Premises.id).where(
        AuditEvent.action == "premises_profile_updated").order_by(
        AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1))
    assert f"Profile of {shop} changed" in page
    signed_in = client.get("/admin/audit", query_string={"action": "sign_in"}).text
    person = db.session.scalar(select(User.name).join(
        AuditEvent, AuditEvent.target_id == User.id).where(
        AuditEvent.action == "sign_in").order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1))
    assert f"{person} signed in" in signed_in
    # Finished jobs are history: the jobs page lists none of them.
    jobs_page = client.get("/admin/jobs/").text
    assert "certificates.email_holder" not in jobs_page


def test_seeded_follow_ups_carry_their_visits_agency():
    """The seed writes follow-ups around the ORM, so it copies what the mapper event copies
    on insert: each follow-up's agency is its visit's (an officer's answers to review)."""
    from compliance.models import FollowUp, Visit

    seed(SCALE)
    follow_ups = db.session.scalar(select(func.count()).select_from(FollowUp))
    differing = db.session.scalar(select(func.count()).select_from(FollowUp).join(
        Visit, FollowUp.visit_id == Visit.id).where(
        FollowUp.agency_id.is_distinct_from(Visit.agency_id)))
    assert follow_ups > 0 and differing == 0
