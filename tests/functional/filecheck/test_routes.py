"""The public "check a certificate file" page, with real signed PDFs and no stubs."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re

import pytest
from sqlalchemy import func, select

from compliance.audit import Actor
from compliance.certificates import services
from compliance.certificates.pdf import render_certificate_pdf
from compliance.extensions import db
from compliance.models import AuditEvent, Role
from tests.factories import PremisesFactory, UserFactory
from tests.functional.certificates.test_routes import staff_certificate
from tests.functional.signing.test_pades import DATA, flip_byte, replace_keys, self_signed_pem

URL = "/check-a-certificate-file"


@pytest.fixture
def cert():
    premises = PremisesFactory(name="Market Street")
    staff = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises,
                        name="Jo Bloggs")
    cert = staff_certificate(staff)
    db.session.flush()
    return cert


def upload(client, content: bytes, name: str = "certificate.pdf"):
    return client.post(URL, data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_page_needs_no_sign_in_and_explains_itself(client):
    page = client.get(URL)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and "We do not keep a copy" in page.text


@pytest.mark.slow
def test_the_issued_file_is_genuine_valid_and_unchanged(client, cert):
    page = text_of(upload(client, cert.pdf))
    assert "This file is genuine and unchanged" in page
    assert f"Certificate {cert.code} is valid" in page
    assert "Valid: signed by this service" in page
    assert "Yes: it is identical to the file we issued" in page
    assert "Jo Bloggs" in page


@pytest.mark.slow
def test_one_changed_byte_is_detected(client, cert):
    changed = flip_byte(cert.pdf, len(cert.pdf) // 3)
    response = upload(client, changed)
    page = text_of(response)
    assert response.status_code == 200
    assert "This file has been changed since it was issued" in page
    assert f"No: it differs from the file we issued for {cert.code}" in page
    assert "Jo Bloggs" not in page  # a changed file does not get the holder's details


@pytest.mark.slow
def test_content_added_after_signing_is_detected(client, cert):
    page = text_of(upload(client, cert.pdf + b"\n1 0 obj\n(added)\nendobj\n"))
    assert "This file has been changed since it was issued" in page
    assert "content was added after signing" in page


@pytest.mark.slow
def test_a_genuine_file_of_a_revoked_certificate_says_so(client, cert, app):
    from compliance.models import User

    officer = UserFactory(role=Role.OFFICER)
    services.revoke(cert, "Issued in error", Actor(db.session.get(User, officer.id)))
    page = text_of(upload(client, cert.pdf))
    assert "This file is genuine and unchanged" in page and "Revoked" in page
    assert "no longer valid" in page


@pytest.mark.slow
def test_files_we_did_not_issue(app, client, cert):
    with app.test_request_context():
        unsigned = render_certificate_pdf(DATA)  # a lookalike with an unknown code
    page = text_of(upload(client, unsigned))
    assert "We did not issue this file" in page and "The file is not signed" in page
    key, pem = self_signed_pem("Forgers Ltd")
    forger = replace_keys(app, SIGNING_KEY_PEM=key.decode(), SIGNING_CERT_PEM=pem.decode())
    with forger.test_request_context():
        from compliance.signing import sign_pdf

        forged = sign_pdf(unsigned)
    page = text_of(upload(client, forged))
    assert "We did not issue this file" in page and "Signed by someone else" in page


@pytest.mark.parametrize("content, name, message, code", [
    (b"", "empty.pdf", "The selected file is empty", 400),
    (b"hello, not a pdf", "letter.txt", "The selected file must be a PDF or a .jwt credential",
     400),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "photo.pdf",
     "The selected file must be a PDF or a .jwt credential", 400),
])
def test_wrong_files_get_an_error_summary_not_an_error_page(client, content, name, message,
                                                            code):
    response = upload(client, content, name)
    assert response.status_code == code
    page = text_of(response)
    assert "There is a problem" in page and message in page
    assert page.count(message) == 2  # in the summary and by the field
    assert "<title>Error:" in page


def test_no_file_selected(client):
    response = client.post(URL, data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Select a certificate file" in response.text


def test_damaged_pdfs_get_a_clear_answer(client):
    response = upload(client, b"%PDF-1.7\n" + b"\xff" * 500)
    assert response.status_code == 200 and "We cannot read this file" in text_of(response)


@pytest.mark.parametrize("size_over, code", [(1, 400), (200_000, 413)])
def test_too_large_files_are_refused_with_a_message(app, client, monkeypatch, size_over, code):
    """Just over: the form says so. Far over: the body is not even read, same message."""
    monkeypatch.setitem(app.config, "CHECK_PDF_MAX_BYTES", 100 * 1024)
    response = upload(client, b"0" * (100 * 1024 + size_over))
    assert response.status_code == code
    page = text_of(response)
    assert "There is a problem" in page
    assert page.count("The selected file must be smaller than 100KB") == 2
    assert 'type="file"' in page  # the form again, not an error page


@pytest.mark.slow
def test_uploads_are_not_stored_or_counted(client, cert):
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    upload(client, cert.pdf)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert db.session.get(type(cert), cert.id).verifications == 0


def test_the_upload_form_needs_its_csrf_token(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get(URL)
    assert 'name="csrf_token"' in page.text
    response = upload(client, b"%PDF-1.7\n")
    assert response.status_code == 400 and "There is a problem" in text_of(response)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page.text)
    assert token
    ok = client.post(URL, data={"csrf_token": token.group(1),
                                "file": (io.BytesIO(b"%PDF-1.7\n\xff"), "c.pdf")},
                     content_type="multipart/form-data")
    assert ok.status_code == 200 and "We cannot read this file" in text_of(ok)


def test_the_upload_page_is_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CHECK_PDF_RATE_LIMIT", "3 per minute")
    codes = [upload(client, b"%PDF-1.7\n\xff").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def credential_of(client, login_as, cert) -> bytes:
    from compliance.models import User

    login_as(db.session.get(User, cert.holder_user_id))
    token = client.get(f"/certificates/{cert.code}/open-badge.jwt").data
    with client.session_transaction() as session:
        session.clear()  # the upload page is used signed out
    return token


@pytest.mark.slow
def test_a_downloaded_credential_is_genuine(client, login_as, cert):
    page = text_of(upload(client, credential_of(client, login_as, cert), "badge.jwt"))
    assert "This file is genuine and unchanged" in page
    assert "Valid: signed by this service" in page and "Jo Bloggs" in page


@pytest.mark.slow
@pytest.mark.parametrize("segment", [0, 1, 2])
def test_a_one_character_change_to_a_credential_is_detected(client, login_as, cert, segment):
    parts = credential_of(client, login_as, cert).decode().split(".")
    middle = len(parts[segment]) // 2
    parts[segment] = (parts[segment][:middle] + ("A" if parts[segment][middle] != "A" else "B")
                      + parts[segment][middle + 1:])
    response = upload(client, ".".join(parts).encode(), "badge.jwt")
    page = text_of(response)
    assert response.status_code == 200
    assert "This file is genuine" not in page and "Jo Bloggs" not in page
    assert any(h in page for h in ("has been changed since it was issued",
                                   "We cannot read this file"))


@pytest.mark.slow
def test_a_credential_with_a_rewritten_name_is_detected(client, login_as, cert):
    header, payload, signature = credential_of(client, login_as, cert).decode().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    page = text_of(upload(client, f"{header}.{forged}.{signature}".encode(), "badge.jwt"))
    assert "This file has been changed since it was issued" in page
    assert "Broken: the signed content has been changed" in page


@pytest.mark.slow
def test_a_stored_pdf_is_found_by_its_hash_when_its_metadata_names_no_code(app, client, cert):
    """Certificate kinds whose PDF title does not carry the code are still recognised."""
    with app.test_request_context():
        from compliance.signing import sign_pdf

        unnamed = sign_pdf(render_certificate_pdf(DATA).replace(b"KSC\\0552345", b"XYZ\\0552345"))
    cert.pdf, cert.sha256 = unnamed, hashlib.sha256(unnamed).hexdigest()
    db.session.flush()
    page = text_of(upload(client, unnamed))
    assert "This file is genuine and unchanged" in page and cert.code in page
