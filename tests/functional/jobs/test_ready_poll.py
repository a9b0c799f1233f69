"""Pages that wait for a job say when it is done (static/js/ready-poll.js asks a small JSON
address every few seconds): the quiz result, the certificate and its download while the PDF is
being prepared, and a prepared export. Here: the addresses' answers before and after a real
worker has run, and the waiting pages' markup (the browser journey runs the script)."""

from __future__ import annotations

import re

from compliance.jobs import queue
from compliance.models import JobOutbox, Role
from tests.factories import UserFactory
from tests.functional.jobs.conftest import pass_quiz
from tests.functional.jobs.test_exports_queue import ask, register  # noqa: F401 - a fixture
from tests.functional.jobs.test_queue import certificate_of


def poll_region(html: str) -> dict[str, str]:
    """The waiting region's data attributes, its status region and its hidden links."""
    found = re.search(r"<div data-ready-poll (.*?)>\s*<div role=\"status\" data-ready-status>"
                      r"</div>(.*?)</div>", html, re.S)
    assert found, "no waiting region on the page"
    attributes = dict(re.findall(r'data-ready-([a-z-]+)="([^"]*)"', found.group(1)))
    links = re.findall(r'<p class="govuk-body" data-ready-show="(\w+)" hidden><a class="govuk-link"'
                       r' href="([^"]+)">([^<]+)</a></p>', found.group(2))
    return {**attributes, "links": links}


def test_the_quiz_result_and_the_certificate_ask_until_the_pdf_is_stored(
        client, content, learner, redis_mode, outbox):
    attempt, submitted = pass_quiz(client, learner)
    cert = certificate_of(learner)
    ready = f"/certificates/{cert.code}/ready.json"
    download = f"/certificates/{cert.code}.pdf"

    result = client.get(f"/training/quiz/{attempt.id}/result").text
    region = poll_region(result)
    assert region["url"] == ready
    assert region["text-ready"] == f"Your certificate {cert.code} is ready."
    assert "taking longer than usual" in region["text-slow"]
    verify = ("failed", f"/verify/{cert.code}", "See the certificate's public verify page")
    assert region["links"] == [("ready", download, "Download your certificate (PDF)"), verify]
    assert region["text-failed"].startswith("The PDF could not be made.")
    waiting_page = client.get(download)
    assert waiting_page.status_code == 202 and waiting_page.headers["Retry-After"] == "10"
    assert poll_region(waiting_page.text)["links"] == [
        ("ready", download, "Download the certificate (PDF)"), verify]
    assert poll_region(client.get(f"/certificates/{cert.code}").text)["url"] == ready

    answer = client.get(ready)
    assert answer.status_code == 200 and answer.json == {"state": "waiting"}
    assert answer.headers["Cache-Control"].startswith("no-store")

    queue.work(burst=True)  # a real worker renders, signs and stores the PDF
    assert client.get(ready).json == {"state": "ready"}
    after = client.get(f"/training/quiz/{attempt.id}/result").text
    assert "data-ready-poll" not in after and 'id="certificate-ready"' in after
    assert "data-ready-poll" not in client.get(f"/certificates/{cert.code}").text


def test_only_who_may_download_a_certificate_asks_whether_it_is_ready(
        client, content, learner, redis_mode, login_as):
    pass_quiz(client, learner)
    cert = certificate_of(learner)
    login_as(UserFactory(role=Role.STAFF))  # someone at another business
    refused = client.get(f"/certificates/{cert.code}/ready.json")
    assert refused.status_code == 403 and refused.json["status"] == 403
    assert client.get("/certificates/KSC-0000-0000-0000/ready.json").status_code == 404


def test_a_prepared_export_answers_waiting_then_ready(client, register, redis_mode):  # noqa: F811
    export_id = ask(client, register)
    page = client.get(f"/exports/{export_id}").text
    region = poll_region(page)
    assert region["url"] == f"/exports/{export_id}/state.json"
    assert region["text-ready"] == "Your file is ready."
    assert region["text-failed"] == "Your file could not be prepared."
    assert [state for state, _href, _text in region["links"]] == ["ready", "failed"]
    assert client.get(f"/exports/{export_id}/state.json").json == {"state": "waiting"}

    queue.work(burst=True)
    assert client.get(f"/exports/{export_id}/state.json").json == {"state": "ready"}
    assert "data-ready-poll" not in client.get(f"/exports/{export_id}").text


def test_an_export_whose_job_died_answers_failed(app, client, register, redis_mode,  # noqa: F811
                                                  monkeypatch):
    from compliance.extensions import db
    from compliance.refusals import pdf

    def broken(data):
        raise RuntimeError("fonts missing")

    monkeypatch.setitem(app.config, "JOBS_MAX_ATTEMPTS", 1)
    monkeypatch.setattr(pdf, "render_register_pdf", broken)
    export_id = ask(client, register)
    queue.work(burst=True)
    db.session.expire_all()
    assert db.session.query(JobOutbox).one().dead_at is not None
    assert client.get(f"/exports/{export_id}/state.json").json == {"state": "failed"}


def test_a_certificate_whose_pdf_job_died_says_so_until_an_admin_runs_it_again(
        app, client, content, learner, people, login_as, redis_mode, monkeypatch):
    """Before: the pages said "being prepared" and asked for ever. Now every page that waits
    says the PDF could not be made (the certificate holds), the admins' home lists the failed
    job, and once it is run again the PDF is there."""
    from compliance.certificates import jobs as certificate_jobs
    from compliance.extensions import db

    real = certificate_jobs.render_certificate_pdf
    fonts = {"missing": True}

    def broken(printed):
        if fonts["missing"]:
            raise RuntimeError("fonts missing")
        return real(printed)

    monkeypatch.setitem(app.config, "JOBS_MAX_ATTEMPTS", 1)
    monkeypatch.setattr(certificate_jobs, "render_certificate_pdf", broken)
    attempt, _submitted = pass_quiz(client, learner)
    cert = certificate_of(learner)
    ready = f"/certificates/{cert.code}/ready.json"
    assert client.get(ready).json == {"state": "waiting"}
    queue.work(burst=True)
    db.session.expire_all()
    job = db.session.get(JobOutbox, cert.render_job_id)
    assert job.name == "certificates.render" and job.dead_at is not None
    assert "fonts missing" in job.last_error

    assert client.get(ready).json == {"state": "failed"}
    result = client.get(f"/training/quiz/{attempt.id}/result").text
    assert 'id="pdf-failed"' in result and "data-ready-poll" not in result
    assert f"The PDF of certificate {cert.code} could not be made." in result
    detail = client.get(f"/certificates/{cert.code}").text
    assert 'id="pdf-failed"' in detail and "being prepared" not in detail
    download = client.get(f"/certificates/{cert.code}.pdf")
    assert download.status_code == 503 and "Retry-After" not in download.headers
    assert "PDF could not be made</h1>" in download.text

    login_as(people["admin"])
    home = client.get("/").text
    assert "1 background job failed" in home and 'href="/admin/jobs/"' in home
    fonts["missing"] = False  # mended: the retry renders
    assert client.post(f"/admin/jobs/{job.id}/retry").status_code == 302
    queue.work(burst=True)
    assert "background job failed" not in client.get("/").text
    login_as(learner)
    assert client.get(ready).json == {"state": "ready"}
    assert client.get(f"/certificates/{cert.code}.pdf").data.startswith(b"%PDF")
