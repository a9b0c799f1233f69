"""Jobs on a real Redis with a real RQ worker (burst mode, in this process) and real SMTP."""

from __future__ import annotations

import hashlib

from rq.registry import FailedJobRegistry
from sqlalchemy import select

from compliance import jobs
from compliance.extensions import db
from compliance.jobs import queue
from compliance.models import AuditEvent, Certificate, JobOutbox
from tests.functional.jobs.conftest import pass_quiz
from tests.smtp import free_port

ATTEMPTS: list[str] = []
BROKEN = {"on": True}


@jobs.job("tests.flaky_export")
def flaky_export(report: str) -> None:
    """Stands in for an export whose storage is down until BROKEN is switched off."""
    ATTEMPTS.append(report)
    if BROKEN["on"]:
        raise RuntimeError("export storage unavailable")


def certificate_of(user) -> Certificate:
    db.session.expire_all()
    return db.session.scalar(select(Certificate).where(Certificate.holder_user_id == user.id))


def job_named(name: str) -> JobOutbox:
    db.session.expire_all()
    return db.session.scalar(select(JobOutbox).where(JobOutbox.name == name))


def stored_pdf(cert: Certificate) -> bytes | None:
    return db.session.scalar(select(Certificate.pdf).where(Certificate.id == cert.id))


def test_a_pass_leaves_the_pdf_to_the_worker(client, content, learner, redis_mode, outbox):
    attempt, submitted = pass_quiz(client, learner)
    assert submitted.status_code == 302
    cert = certificate_of(learner)
    assert cert is not None and cert.sha256 is None and stored_pdf(cert) is None
    render = job_named("certificates.render")
    assert render.enqueued_at is not None and queue.get_queue().count == 1

    result = client.get(f"/training/quiz/{attempt.id}/result")
    assert "You passed" in result.text and 'id="certificate-preparing"' in result.text
    download = client.get(f"/certificates/{cert.code}.pdf")
    assert download.status_code == 202 and "Your certificate is being prepared" in download.text
    verify = client.get(f"/verify/{cert.code}")
    assert "This certificate is valid" in verify.text and 'id="pdf-preparing"' in verify.text
    assert client.get(f"/verify/{cert.code}.json").json["pdf_ready"] is False
    assert outbox == []

    queue.work(burst=True)
    cert = certificate_of(learner)
    pdf = stored_pdf(cert)
    assert pdf.startswith(b"%PDF") and cert.sha256 == hashlib.sha256(pdf).hexdigest()
    assert 'id="certificate-ready"' in client.get(f"/training/quiz/{attempt.id}/result").text
    download = client.get(f"/certificates/{cert.code}.pdf")
    assert download.status_code == 200 and download.data == pdf
    assert [(e.to, e.attachments[0].content) for e in outbox] == [(learner.email, pdf)]
    assert job_named("certificates.email_holder").finished_at is not None


def test_a_pass_survives_a_dead_mail_server_and_the_email_goes_out_when_it_is_back(
        client, content, learner, redis_mode, smtp):
    attempt, submitted = pass_quiz(client, learner)
    assert submitted.status_code == 302
    assert "You passed" in client.get(submitted.headers["Location"]).text
    queue.work(burst=True)  # the PDF is stored; the email fails: nothing listens on the port
    cert = certificate_of(learner)
    assert stored_pdf(cert).startswith(b"%PDF")
    email = job_named("certificates.email_holder")
    assert email.attempts == 1 and email.finished_at is None and email.dead_at is None
    assert "refused" in email.last_error.lower() and email.enqueued_at is None
    assert smtp.inbox.messages == []

    smtp.start()  # the mail server is back
    queue.work(burst=True)  # the worker's sweep hands the email over again
    [message] = smtp.inbox.messages
    assert message["X-RcptTo"] == learner.email
    assert message["X-MailFrom"] == "no-reply@knife-sales-compliance.invalid"
    content_bytes = message.as_bytes()
    assert cert.code.encode() in content_bytes and b"application/pdf" in content_bytes
    assert job_named("certificates.email_holder").finished_at is not None


def test_a_pass_while_redis_is_down_commits_and_the_relay_queues_it(
        app, client, content, learner, redis_mode, monkeypatch, runner):
    working = app.config["JOBS_REDIS_URL"]
    monkeypatch.setitem(app.config, "JOBS_REDIS_URL", f"redis://127.0.0.1:{free_port()}/5")
    app.extensions.pop("jobs_redis", None)
    attempt, submitted = pass_quiz(client, learner)
    assert submitted.status_code == 302
    assert 'id="certificate-preparing"' in client.get(submitted.headers["Location"]).text
    assert certificate_of(learner) is not None
    assert job_named("certificates.render").enqueued_at is None
    assert redis_mode.dbsize() == 0

    monkeypatch.setitem(app.config, "JOBS_REDIS_URL", working)
    app.extensions.pop("jobs_redis", None)
    relayed = runner.invoke(args=["jobs", "relay"])
    assert relayed.exit_code == 0 and "Relayed 1 job(s)." in relayed.output
    assert queue.get_queue().count == 1 and job_named("certificates.render").enqueued_at
    worked = runner.invoke(args=["jobs", "worker", "--burst"])
    assert worked.exit_code == 0, worked.output
    assert stored_pdf(certificate_of(learner)).startswith(b"%PDF")


def test_a_failing_job_is_retried_then_dead_and_an_admin_retry_runs_it(
        app, client, login_as, people, redis_mode, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_MAX_ATTEMPTS", 3)
    monkeypatch.setitem(BROKEN, "on", True)
    ATTEMPTS.clear()
    row = jobs.enqueue("tests.flaky_export", report="operation-7")
    db.session.commit()
    row_id = row.id
    assert jobs.dispatch_ready() == 1
    for _ in range(5):  # each worker run relays the retry that is due, until it is dead
        queue.work(burst=True)
    row = db.session.get(JobOutbox, row_id)
    assert ATTEMPTS == ["operation-7"] * 3 and row.attempts == 3
    assert row.dead_at is not None and "export storage unavailable" in row.last_error
    assert FailedJobRegistry(queue=queue.get_queue()).count == 3

    login_as(people["admin"])
    page = client.get("/admin/jobs/")
    assert f"{row_id}: tests.flaky_export" in page.text and "Dead" in page.text
    assert "RuntimeError: export storage unavailable" in page.text
    BROKEN["on"] = False
    response = client.post(f"/admin/jobs/{row_id}/retry")
    assert response.status_code == 302
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "job_retried",
                                                      AuditEvent.target_id == row_id))
    queue.work(burst=True)
    db.session.expire_all()
    row = db.session.get(JobOutbox, row_id)
    assert row.finished_at is not None and ATTEMPTS == ["operation-7"] * 4
    assert f"{row_id}: tests.flaky_export" not in client.get("/admin/jobs/").text


def test_only_dead_jobs_are_retried_by_hand(client, login_as, people, redis_mode):
    waiting = jobs.enqueue("tests.flaky_export", report="queued")
    db.session.flush()
    login_as(people["admin"])
    response = client.post(f"/admin/jobs/{waiting.id}/retry", follow_redirects=True)
    assert "That job is not dead: it is retried on its own." in response.text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "job_retried")) is None
