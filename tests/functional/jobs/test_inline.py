"""In-process jobs (the demo and the test default): same outbox, same retries, no Redis."""

from __future__ import annotations

from compliance import jobs
from compliance.extensions import db
from compliance.jobs import registry
from compliance.models import JobOutbox
from tests.functional.jobs.conftest import pass_quiz
from tests.functional.jobs.test_queue import ATTEMPTS, BROKEN, certificate_of, job_named, stored_pdf


def test_inline_pass_with_a_dead_mail_server_answers_and_the_relay_sends_later(
        client, content, learner, smtp, runner):
    attempt, submitted = pass_quiz(client, learner)
    assert submitted.status_code == 302
    result = client.get(submitted.headers["Location"])
    assert result.status_code == 200 and 'id="certificate-ready"' in result.text
    assert stored_pdf(certificate_of(learner)).startswith(b"%PDF")
    email = job_named("certificates.email_holder")
    assert email.attempts == 1 and email.finished_at is None and email.last_error

    smtp.start()
    relayed = runner.invoke(args=["jobs", "relay"])
    assert relayed.exit_code == 0 and "Relayed 1 job(s)." in relayed.output
    [message] = smtp.inbox.messages
    assert message["X-RcptTo"] == learner.email
    assert job_named("certificates.email_holder").finished_at is not None


def test_a_job_enqueued_in_a_rolled_back_transaction_never_runs(app, monkeypatch):
    monkeypatch.setitem(BROKEN, "on", False)
    ATTEMPTS.clear()
    jobs.enqueue("tests.flaky_export", report="never")
    db.session.rollback()
    assert jobs.dispatch_ready() == 0 and jobs.relay() == 0 and ATTEMPTS == []


def test_inline_failures_back_off_then_die(app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_MAX_ATTEMPTS", 2)
    monkeypatch.setitem(app.config, "JOBS_RETRY_INTERVALS", (3600,))
    monkeypatch.setitem(BROKEN, "on", True)
    ATTEMPTS.clear()
    row = jobs.enqueue("tests.flaky_export", report="r")
    db.session.commit()
    row_id = row.id
    assert jobs.dispatch_ready() == 1  # runs in-process, fails, and raises nothing
    assert jobs.relay() == 0  # backing off for an hour
    db.session.execute(JobOutbox.__table__.update().values(run_after=None))
    assert jobs.relay() == 1
    row = db.session.get(JobOutbox, row_id)
    assert ATTEMPTS == ["r", "r"] and row.attempts == 2 and row.dead_at is not None
    assert jobs.relay() == 0  # the dead wait for an admin


def test_unknown_job_names_fail_in_the_request():
    import pytest

    with pytest.raises(registry.UnknownJob):
        jobs.enqueue("no.such.job")
    assert "mail.send" in registry.names() and "certificates.render" in registry.names()


def test_jobs_status_command_counts_by_state(runner):
    from compliance.models.base import utcnow

    now = utcnow()
    db.session.add_all([
        JobOutbox(name="mail.send", payload={}, attempts=0),
        JobOutbox(name="mail.send", payload={}, attempts=0, enqueued_at=now),
        JobOutbox(name="mail.send", payload={}, attempts=5, dead_at=now),
        JobOutbox(name="mail.send", payload={}, attempts=1, enqueued_at=now, finished_at=now),
        # dead, then retried by an admin and finished: not dead any more
        JobOutbox(name="mail.send", payload={}, attempts=6, dead_at=now, finished_at=now)])
    db.session.flush()
    output = runner.invoke(args=["jobs", "status"]).output
    assert output.split() == ["waiting:", "1", "queued:", "1", "dead:", "1"]


def test_an_unknown_jobs_mode_stops_the_app_at_start(database_url):
    import pytest

    from compliance import ConfigurationError, create_app
    from tests.conftest import settings_for

    with pytest.raises(ConfigurationError, match="JOBS_MODE"):
        create_app(settings_for(database_url) | {"JOBS_MODE": "celery"})
