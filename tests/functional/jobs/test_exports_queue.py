"""Prepared exports with jobs on Redis, as in production: the page says the file is being
prepared until a worker has built it; a second press meanwhile does not build it twice; a
build that keeps failing is reported, and can be asked for again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from compliance.extensions import db
from compliance.jobs import queue
from compliance.models import Export, JobOutbox, Role
from compliance.models.base import utcnow
from tests.factories import AgencyFactory, PremisesFactory, RefusalFactory, UserFactory


@pytest.fixture
def register(login_as):
    premises = PremisesFactory(name="Corner Hardware", created_at=utcnow() - timedelta(days=3))
    staff = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
    RefusalFactory(premises=premises, recorded_by=staff, product="Lock knife")
    login_as(UserFactory(role=Role.OFFICER, agency=AgencyFactory()))
    return f"/premises/{premises.id}/refusals/register.pdf"


def ask(client, register) -> int:
    response = client.post(register)
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_the_page_says_preparing_until_a_worker_has_built_it(client, register, redis_mode):
    export_id = ask(client, register)
    page = client.get(f"/exports/{export_id}")
    assert 'id="export-preparing"' in page.text and "Check again" in page.text
    assert client.get(f"/exports/{export_id}/download").headers["Location"] == \
        f"/exports/{export_id}"
    assert ask(client, register) == export_id  # a second press while it is being prepared
    assert db.session.scalar(select(func.count(Export.id))) == 1

    queue.work(burst=True)
    assert 'id="export-ready"' in client.get(f"/exports/{export_id}").text
    download = client.get(f"/exports/{export_id}/download")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    download.close()


def test_a_build_that_keeps_failing_is_reported_and_can_be_asked_for_again(
        app, client, register, redis_mode, monkeypatch):
    from compliance.refusals import pdf

    def broken(data):
        raise RuntimeError("fonts missing")

    monkeypatch.setitem(app.config, "JOBS_MAX_ATTEMPTS", 2)
    monkeypatch.setattr(pdf, "render_register_pdf", broken)
    export_id = ask(client, register)
    for _ in range(3):  # each worker run relays the retry that is due, until it is dead
        db.session.execute(JobOutbox.__table__.update().values(run_after=None))
        db.session.commit()
        queue.work(burst=True)
    job = db.session.scalar(select(JobOutbox).join(Export, Export.job_id == JobOutbox.id)
                            .where(Export.id == export_id))
    assert job.attempts == 2 and job.dead_at is not None and "fonts missing" in job.last_error
    page = client.get(f"/exports/{export_id}")
    assert 'id="export-failed"' in page.text and "Try again" in page.text

    monkeypatch.setattr(pdf, "render_register_pdf", lambda data: b"%PDF-1.7 mended")
    fresh = int(client.post(f"/exports/{export_id}/again").headers["Location"]
                .rsplit("/", 1)[1])
    assert fresh != export_id
    queue.work(burst=True)
    mended = client.get(f"/exports/{fresh}/download")
    assert mended.data == b"%PDF-1.7 mended"
    mended.close()
