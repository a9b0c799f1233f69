"""Prepared exports, end to end through the real pages: ask on the register page, the job
builds the PDF (in-process here, as in the demo), the page says it is ready, the file is a
real PDF of the register; only the person who asked, while they may still see the register,
can look or download."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from compliance import exports
from compliance.audit import Actor
from compliance.exports import services as export_services
from compliance.extensions import db
from compliance.models import Export, Role
from compliance.models.base import utcnow
from tests.factories import AgencyFactory, PremisesFactory, RefusalFactory, UserFactory


@pytest.fixture
def shop():
    premises = PremisesFactory(name="Corner Hardware", created_at=utcnow() - timedelta(days=3))
    staff = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
    RefusalFactory(premises=premises, recorded_by=staff, product="Machete in a gift box")
    return {"premises": premises,
            "manager": UserFactory(role=Role.MANAGER, retailer=premises.retailer),
            "officer": UserFactory(role=Role.OFFICER, agency=AgencyFactory()),
            "colleague": UserFactory(role=Role.OFFICER, agency=AgencyFactory())}


def prepare(client, premises):
    page = client.get(f"/premises/{premises.id}/refusals/")
    assert "Prepare the register as PDF" in page.text
    response = client.post(f"/premises/{premises.id}/refusals/register.pdf")
    assert response.status_code == 302
    match = re.fullmatch(r"/exports/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(io.BytesIO(data)).pages)


def test_an_officer_prepares_the_register_pdf_and_downloads_it(client, login_as, shop):
    login_as(shop["officer"])
    export_id = prepare(client, shop["premises"])
    page = client.get(f"/exports/{export_id}")
    assert page.status_code == 200 and 'id="export-ready"' in page.text
    assert "Your file is ready" in page.text and "Refusals register (PDF)" in page.text
    assert f"refusals-register-{shop['premises'].id}.pdf" in page.text
    assert "Back to Corner Hardware" in page.text

    download = client.get(f"/exports/{export_id}/download")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.headers["Cache-Control"] == "no-store"
    assert f"refusals-register-{shop['premises'].id}.pdf" in \
        download.headers["Content-Disposition"]
    text = pdf_text(download.data)
    download.close()
    assert "Corner Hardware" in text and "Machete in a gift box" in text
    # A PDF is compressed already: no gzipped copy, whatever the browser accepts.
    as_is = client.get(f"/exports/{export_id}/download", headers={"Accept-Encoding": "gzip"})
    assert as_is.headers.get("Content-Encoding") is None and as_is.data == download.data
    assert "Vary" not in as_is.headers or "Accept-Encoding" not in as_is.headers["Vary"]
    as_is.close()


def test_the_pdf_is_built_from_plain_data(client, login_as, shop, monkeypatch):
    from compliance.refusals import pdf

    seen = {}

    def remember(data):
        seen.update(data)
        return b"%PDF-1.7 seen"

    monkeypatch.setattr(pdf, "render_register_pdf", remember)
    login_as(shop["manager"])
    prepare(client, shop["premises"])

    def plain(value):
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return isinstance(value, str | int)

    assert seen["premises"] == "Corner Hardware" and plain(seen)


def test_nobody_else_sees_or_downloads_an_export(client, login_as, shop):
    login_as(shop["officer"])
    export_id = prepare(client, shop["premises"])
    for who in ("colleague", "manager"):  # both may read the register; neither asked
        login_as(shop[who])
        assert client.get(f"/exports/{export_id}").status_code == 404
        assert client.get(f"/exports/{export_id}/download").status_code == 404
        assert client.post(f"/exports/{export_id}/again").status_code == 404
    client.post("/auth/sign-out")
    assert client.get(f"/exports/{export_id}/download").status_code == 302  # to sign in


def test_losing_access_to_the_register_loses_the_export(client, login_as, shop):
    manager = login_as(shop["manager"])
    export_id = prepare(client, shop["premises"])
    manager.retailer = PremisesFactory().retailer  # moved to another business
    db.session.flush()
    assert client.get(f"/exports/{export_id}").status_code == 403
    assert client.get(f"/exports/{export_id}/download").status_code == 403


def test_staff_cannot_ask_for_the_register_pdf(client, login_as, shop):
    staff = UserFactory(role=Role.STAFF, retailer=shop["premises"].retailer,
                        premises=shop["premises"])
    login_as(staff)
    assert client.post(f"/premises/{shop['premises'].id}/refusals/register.pdf") \
        .status_code == 403
    assert db.session.scalar(select(func.count(Export.id))) == 0


def test_old_exports_are_forgotten_when_another_is_built(client, login_as, shop):
    officer = login_as(shop["officer"])
    old_file = export_services.folder() / "old-register.pdf"
    old_file.parent.mkdir(parents=True, exist_ok=True)
    old_file.write_bytes(b"%PDF-1.7 old")
    old = Export(kind="refusals.register_pdf", params={"premises_id": shop["premises"].id},
                 requested_by_id=officer.id, requested_at=utcnow() - timedelta(days=8),
                 stored_name=old_file.name, ready_at=utcnow() - timedelta(days=8))
    db.session.add(old)
    db.session.flush()
    old_id = old.id
    fresh_id = prepare(client, shop["premises"])
    db.session.expire_all()
    assert db.session.get(Export, old_id) is None and not old_file.exists()
    assert db.session.scalar(select(func.count(Export.id))) == 1
    assert export_services.path_of(db.session.get(Export, fresh_id)).is_file()


def test_unknown_kinds_fail_in_the_request(shop):
    with pytest.raises(KeyError):
        exports.prepare("no.such.export", {}, Actor(shop["officer"]))


def test_the_purge_command_forgets_old_exports(runner, shop):
    officer = shop["officer"]
    old_file = export_services.folder() / "purge-old.pdf"
    old_file.parent.mkdir(parents=True, exist_ok=True)
    old_file.write_bytes(b"%PDF-1.7 old")
    db.session.add_all([
        Export(kind="refusals.register_pdf", params={}, requested_by_id=officer.id,
               requested_at=utcnow() - timedelta(days=8), stored_name=old_file.name),
        Export(kind="refusals.register_pdf", params={}, requested_by_id=officer.id,
               requested_at=utcnow() - timedelta(days=6))])
    db.session.flush()
    result = runner.invoke(args=["exports", "purge"])
    assert result.exit_code == 0 and "Forgot 1 export(s) older than 7 days." in result.output
    assert not old_file.exists()
    assert db.session.scalar(select(func.count(Export.id))) == 1
