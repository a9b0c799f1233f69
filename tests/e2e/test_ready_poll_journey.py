"""A member of staff waits for their certificate's PDF: the waiting page says so, and once a
worker has stored the PDF the page says it is ready and offers the download, without a reload
(static/js/ready-poll.js), announced in a status region; both states pass axe. If the job
making the PDF dies instead, the page says the PDF could not be made and points to the verify
page."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from tests.e2e.conftest import check_a11y, sign_in

CODE = "KSC-WAIT-2345-6789"


def _unrendered_certificate(app) -> dict:
    """A training certificate for Jo Staff whose PDF no worker has made yet; returns the
    render job's arguments, as the issuing service would have enqueued them."""
    from compliance.certificates.pdf import CertificateData
    from compliance.extensions import db
    from compliance.models import Certificate, User
    from compliance.models.base import utcnow

    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff@example.com"))
        cert = Certificate(code=CODE, kind="staff", holder_user_id=staff.id,
                           retailer_id=staff.retailer_id, premises_id=staff.premises_id,
                           holder_name=staff.name, business_name="Demo business",
                           issued_at=utcnow(), expires_at=utcnow() + timedelta(days=365))
        db.session.add(cert)
        db.session.commit()
        data = CertificateData(
            code=CODE, kind="staff", title="Responsible knife sales training certificate",
            holder_name=staff.name, business_name="Demo business", premises_name=None,
            premises_address=None, issued_on="1 December 2026", expires_on="1 December 2027",
            verify_url=f"{app.config['PUBLIC_BASE_URL']}/verify/{CODE}")
        job = {"certificate_id": cert.id, "data": asdict(data)}
        db.session.remove()
        return job


def _render_job_dies(app, job: dict) -> None:
    """The certificate's render job fails its last allowed attempt in the real runner (its
    data lacks what the PDF prints), so the outbox marks it dead."""
    from compliance.extensions import db
    from compliance.jobs import runner
    from compliance.models import Certificate, JobOutbox

    with app.app_context():
        row = JobOutbox(name="certificates.render", attempts=app.config["JOBS_MAX_ATTEMPTS"] - 1,
                        payload={"certificate_id": job["certificate_id"], "data": {}})
        db.session.add(row)
        db.session.get(Certificate, job["certificate_id"]).render_job = row
        db.session.commit()
        row_id = row.id
        db.session.remove()  # the runner works in a session of its own
        assert runner.run_inline(row_id) == "failed"
        assert db.session.get(JobOutbox, row_id).dead_at is not None
        db.session.remove()


def _worker_stores_the_pdf(app, job: dict) -> None:
    from compliance.certificates.jobs import render
    from compliance.extensions import db

    with app.app_context():
        render(**job)
        db.session.commit()
        db.session.remove()


@pytest.fixture
def job(live_app):
    """The certificate, removed afterwards: the journeys share the live server's data (the
    verify journey picks Jo Staff's newest certificate)."""
    from compliance.extensions import db
    from compliance.models import Certificate, JobOutbox

    yield _unrendered_certificate(live_app)
    with live_app.app_context():
        db.session.execute(delete(Certificate).where(Certificate.code == CODE))
        db.session.execute(delete(JobOutbox).where(JobOutbox.name == "certificates.render",
                                                   JobOutbox.dead_at.is_not(None)))
        db.session.commit()
        db.session.remove()


def test_the_waiting_page_says_when_the_certificate_is_ready(page, live_server, live_app, job):
    sign_in(page, live_server, "staff@example.com")
    page.goto(f"{live_server}/certificates/{CODE}.pdf")
    expect(page.locator("h1")).to_have_text("Your certificate is being prepared")
    status = page.get_by_role("status")
    expect(status).to_have_text("")
    download = page.get_by_role("link", name="Download the certificate (PDF)")
    expect(download).to_be_hidden()
    check_a11y(page)

    page.wait_for_timeout(2500)  # the page has asked at least once: still waiting
    expect(download).to_be_hidden()
    _worker_stores_the_pdf(live_app, job)

    expect(status).to_have_text("Your certificate is ready.", timeout=15_000)
    expect(download).to_be_visible()
    assert page.url.endswith(f"/certificates/{CODE}.pdf")  # no reload, no redirect
    check_a11y(page)
    with page.expect_download() as started:
        download.click()
    saved = started.value
    with open(saved.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert saved.suggested_filename == f"certificate-{CODE}.pdf"


def test_the_waiting_page_says_when_the_pdf_could_not_be_made(page, live_server, live_app, job):
    sign_in(page, live_server, "staff@example.com")
    page.goto(f"{live_server}/certificates/{CODE}")
    status = page.get_by_role("status")
    verify = page.get_by_role("link", name="See the certificate's public verify page")
    expect(verify).to_be_hidden()
    page.wait_for_timeout(2500)  # asked once: still waiting
    expect(status).to_have_text("")
    _render_job_dies(live_app, job)

    expect(status).to_have_text("The PDF could not be made. The certificate is still valid; the "
                                "portal's administrators have been told and will make it again.",
                                timeout=15_000)
    expect(verify).to_be_visible()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_hidden()
    check_a11y(page)
    page.reload()  # loaded now, the page says it without asking
    expect(page.locator("#pdf-failed")).to_contain_text(
        f"The PDF of certificate {CODE} could not be made.")
    check_a11y(page)
