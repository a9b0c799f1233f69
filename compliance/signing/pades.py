"""Signing PDFs (PAdES baseline B-B, signer's certificate embedded) and checking signatures."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import TypeVar

from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from flask import current_app
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from compliance.signing.keys import SigningKey, current_signing_key, service_certificates

FIELD_NAME = "ServiceSignature"
T = TypeVar("T")


def _outside_event_loop(work: Callable[[], T]) -> T:
    """Run pyHanko's synchronous API, which calls asyncio.run().

    That fails in a thread whose event loop is running (async servers, gevent-style workers,
    Playwright's sync API in the browser tests), so there it runs on a short-lived thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


class _PreloadedSigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner re-parses the private key for every signature (twice per PDF,
    with its size-estimating dry run); RSA parsing validates the key and dominated signing
    time. This signs with the key parsed once at start-up instead."""

    def __init__(self, key: SigningKey) -> None:
        super().__init__(signing_cert=key.cert, signing_key=key.key,
                         cert_registry=SimpleCertificateStore.from_certs(key.chain))
        self._loaded = key.loaded

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._loaded, RSAPrivateKey):
            return self._loaded.sign(data, PKCS1v15(), hash_algo)
        if mechanism == "ecdsa" and isinstance(self._loaded, EllipticCurvePrivateKey):
            return self._loaded.sign(data, ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)  # anything else: pyHanko's own way


def sign_pdf(pdf: bytes) -> bytes:
    """The PDF with an invisible PAdES B-B signature appended as an incremental update.

    The original bytes are kept unchanged in front of the signature, so the PDF/UA tagging
    and metadata WeasyPrint wrote are untouched.
    """
    key = current_signing_key()
    signer = _PreloadedSigner(key)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=current_app.config["SERVICE_NAME"],
        reason="Issued by " + current_app.config["SERVICE_NAME"])
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    # Invisible, hidden and off the page: PDF/UA requires visible widgets to be tagged,
    # hidden ones are exempt, and signature checkers read the field all the same.
    field = fields.SigFieldSpec(FIELD_NAME, invis_sig_settings=fields.InvisSigSettings(
        set_hidden_flag=True, set_print_flag=False, box_out_of_bounds=True))
    pdf_signer = signers.PdfSigner(meta, signer, new_field_spec=field)
    # Reserving room for the signature up front skips pyHanko's dry-run signature, which
    # otherwise builds the whole CMS twice: room for the certificates plus a generous margin.
    reserved = (sum(len(c.dump()) for c in (key.cert, *key.chain)) // 1024 + 5) * 1024
    out = _outside_event_loop(lambda: pdf_signer.sign_pdf(writer, bytes_reserved=reserved))
    return out.getvalue()


class UnreadablePdfError(ValueError):
    """The bytes cannot be parsed as a PDF (damaged, truncated, or not a PDF at all)."""


@dataclass(frozen=True)
class SignatureReport:
    """What the signature of a PDF someone sent us says."""

    signed: bool
    intact: bool = False  # the signed bytes hash to what the signature covers
    valid: bool = False  # the cryptographic signature over that hash is good
    ours: bool = False  # made with one of this service's certificates
    whole_file: bool = False  # nothing was added after signing
    signer: str | None = None
    signed_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.ours and self.whole_file


def _fingerprint(cert) -> str:
    return hashlib.sha256(cert.dump()).hexdigest()


def check_pdf_signature(pdf: bytes) -> SignatureReport:
    """Validate the last signature in `pdf` against this service's certificates.

    Raises UnreadablePdfError for files that cannot be parsed. "Ours" is decided by pinning
    the signer's certificate to the service's current and retired certificates, so a rotation
    or an expired certificate does not make older PDFs look foreign.
    """
    certs = service_certificates(current_app.config)
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return SignatureReport(signed=False)
        embedded = signatures[-1]
        context = ValidationContext(trust_roots=certs, allow_fetching=False,
                                    revocation_mode="soft-fail")
        status = _outside_event_loop(
            lambda: validate_pdf_signature(embedded, signer_validation_context=context))
    except Exception as error:  # noqa: BLE001 - untrusted input: any parse failure means "unreadable"
        raise UnreadablePdfError(str(error)) from error
    signer_cert = status.signing_cert
    return SignatureReport(
        signed=True, intact=bool(status.intact), valid=bool(status.valid),
        ours=signer_cert is not None
        and _fingerprint(signer_cert) in {_fingerprint(c) for c in certs},
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=signer_cert.subject.human_friendly if signer_cert is not None else None,
        signed_at=status.signer_reported_dt)
