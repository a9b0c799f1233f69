"""Signed certificate PDFs, checked by poppler's pdfsig as well as by pyHanko."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from flask import Flask

from compliance.certificates.pdf import CertificateData, render_certificate_pdf
from compliance.signing import (
    SigningNotConfiguredError,
    UnreadablePdfError,
    check_pdf_signature,
    load_signing_key,
    sign_pdf,
)
from tests.conftest import key_settings

DATA = CertificateData(
    code="KSC-2345-6789-ABC8", kind="staff",
    title="Responsible knife sales training certificate", holder_name="Jo Bloggs",
    business_name="Sharp & Co Ltd", premises_name=None, premises_address=None,
    issued_on="25 November 2026", expires_on="25 November 2027",
    verify_url="https://knife-checks.example.org/verify/KSC-2345-6789-ABC8")


def pdfsig(pdf: bytes, tmp_path: Path) -> str:
    """poppler's verdict; -nocert because the test certificate is self-signed, not trusted."""
    path = tmp_path / "sent.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdfsig", "-nocert", str(path)],  # noqa: S607
                            capture_output=True, text=True, check=False)
    return result.stdout + result.stderr


def flip_byte(pdf: bytes, at: int) -> bytes:
    changed = bytearray(pdf)
    changed[at] ^= 0x01
    return bytes(changed)


def self_signed_pem(name: str) -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=9))
            .sign(key, hashes.SHA256()))
    return (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()),
            cert.public_bytes(serialization.Encoding.PEM))


@pytest.fixture(scope="module")
def unsigned(app: Flask) -> bytes:
    with app.test_request_context():
        return render_certificate_pdf(DATA)


@pytest.fixture(scope="module")
def signed(app: Flask, unsigned: bytes) -> bytes:
    with app.test_request_context():
        return sign_pdf(unsigned)


@pytest.mark.slow
def test_pdfsig_reports_a_valid_pades_signature_over_the_whole_file(signed, tmp_path):
    report = pdfsig(signed, tmp_path)
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "Signature Type: ETSI.CAdES.detached" in report  # PAdES, not adbe.pkcs7
    assert "Signer Certificate Common Name: Knife Sales Compliance test" in report


@pytest.mark.slow
def test_signing_appends_and_keeps_the_rendered_bytes(unsigned, signed):
    assert signed.startswith(unsigned) and len(signed) > len(unsigned)


@pytest.mark.slow
def test_pyhanko_finds_the_signature_ours_intact_and_whole(signed):
    report = check_pdf_signature(signed)
    assert report.ok and report.signer and "Knife Sales Compliance test" in report.signer


@pytest.mark.slow
@pytest.mark.parametrize("where", [0.1, 0.5, 0.62])
def test_one_changed_byte_fails_pdfsig_and_pyhanko(unsigned, signed, tmp_path, where):
    changed = flip_byte(signed, int(len(unsigned) * where))
    assert "Signature is Valid" not in pdfsig(changed, tmp_path)
    try:
        report = check_pdf_signature(changed)
    except UnreadablePdfError:
        return  # a change that breaks the file's structure is also a failure
    assert not report.ok and not report.intact


@pytest.mark.slow
def test_content_added_after_signing_is_not_the_signed_document(signed, tmp_path):
    appended = signed + b"\n% added later\n"
    assert "Total document signed" not in pdfsig(appended, tmp_path)
    report = check_pdf_signature(appended)
    assert report.intact and not report.whole_file and not report.ok


@pytest.mark.slow
def test_a_signature_by_someone_else_is_not_ours(app, unsigned, tmp_path):
    key, cert = self_signed_pem("Someone Else Ltd")
    other = replace_keys(app, SIGNING_KEY_PEM=key.decode(), SIGNING_CERT_PEM=cert.decode())
    with other.test_request_context():
        forged = sign_pdf(unsigned)
    assert "Signature is Valid" in pdfsig(forged, tmp_path)  # a good signature...
    with app.test_request_context():
        report = check_pdf_signature(forged)
    assert report.valid and report.intact and not report.ours  # ...but not by this service


@pytest.mark.slow
def test_retired_certificates_still_count_as_ours_after_rotation(app, signed, tmp_path):
    key, cert = self_signed_pem("Knife Sales Compliance 2027")
    retired = tmp_path / "previous.pem"
    retired.write_bytes(Path(key_settings()["SIGNING_CERT_PATH"]).read_bytes())
    rotated = replace_keys(app, SIGNING_KEY_PEM=key.decode(), SIGNING_CERT_PEM=cert.decode(),
                           SIGNING_PREVIOUS_CERTS_PATH=str(retired))
    with rotated.test_request_context():
        assert check_pdf_signature(signed).ok
    unrotated = replace_keys(app, SIGNING_KEY_PEM=key.decode(), SIGNING_CERT_PEM=cert.decode())
    with unrotated.test_request_context():
        assert not check_pdf_signature(signed).ours


def test_no_key_means_no_certificate():
    with pytest.raises(SigningNotConfiguredError, match="SIGNING_KEY_PATH"):
        load_signing_key({"SIGNING_CERT_PATH": key_settings()["SIGNING_CERT_PATH"]})


def test_unsigned_and_unreadable_files(app, unsigned):
    with app.test_request_context():
        assert check_pdf_signature(unsigned).signed is False
        with pytest.raises(UnreadablePdfError):
            check_pdf_signature(b"%PDF-1.7\nnot really a pdf")


def replace_keys(app: Flask, **settings) -> Flask:
    """A second app sharing the test database settings but with other signing keys."""
    from compliance import create_app

    config = {k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI",
                                         "SERVER_NAME", "SERVICE_NAME", "TESTING",
                                         "PUBLIC_BASE_URL")}
    config |= {"SIGNING_KEY_PATH": None, "SIGNING_CERT_PATH": None} | settings
    return create_app(config)




@pytest.mark.slow
def test_signing_and_checking_work_inside_a_running_event_loop(app, unsigned):
    """pyHanko's sync API calls asyncio.run(); async servers and Playwright run a loop."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside():
        with app.test_request_context():
            return check_pdf_signature(sign_pdf(unsigned))

    # A thread of its own: the browser tests may leave a loop running in the main thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside()).result().ok


def test_production_refuses_to_start_without_a_signing_key(database_url):
    from compliance import create_app
    from tests.conftest import settings_for

    settings = settings_for(database_url) | {"TESTING": False, "SIGNING_KEY_PATH": None}
    with pytest.raises(SigningNotConfiguredError):
        create_app(settings)
    assert create_app(settings_for(database_url) | {"TESTING": False})  # with keys: starts


@pytest.mark.slow
def test_the_signature_is_pades_baseline_b_with_the_signer_certificate(signed):
    """PAdES B-B (ETSI EN 319 142-1): CAdES detached, ESS signing-certificate-v2 and the
    message digest signed, no CMS signing-time (the time lives in the signature's /M)."""
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    embedded = PdfFileReader(BytesIO(signed)).embedded_signatures[-1]
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert "/M" in embedded.sig_object
    attrs = {a["type"].native for a in embedded.signer_info["signed_attrs"]}
    assert {"content_type", "message_digest", "signing_certificate_v2"} <= attrs
    assert "signing_time" not in attrs
    embedded_certs = [c.chosen for c in embedded.signed_data["certificates"]]
    assert any("Knife Sales Compliance test" in c.subject.human_friendly for c in embedded_certs)
