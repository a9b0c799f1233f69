"""What a certificate file someone was sent tells us: signature, our record, current status.

The bytes are only read: nothing is stored, logged or counted.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass

import jwt
from sqlalchemy import select

from compliance.certificates.codes import normalise
from compliance.certificates.queries import with_status
from compliance.certificates.services import find_by_code
from compliance.credentials import services as credentials
from compliance.extensions import db
from compliance.models import Certificate
from compliance.signing import SignatureReport, UnreadablePdfError, check_pdf_signature

GENUINE, CHANGED, UNKNOWN, UNREADABLE = "genuine", "changed", "unknown", "unreadable"

# The certificate code as it appears in the PDF's document information (hyphens may be
# written as the octal escape \055), found without parsing so damaged files still name it.
_CODE_IN_PDF = re.compile(rb"KSC(?:-|\\055)([0-9A-Z]{4})(?:-|\\055)([0-9A-Z]{4})"
                          rb"(?:-|\\055)([0-9A-Z]{4})")


class NotACertificateFileError(ValueError):
    """The bytes are neither a PDF nor a credential."""


@dataclass(frozen=True)
class FileCheck:
    kind: str  # pdf | credential
    verdict: str  # genuine | changed | unknown | unreadable
    signature: SignatureReport | None
    matches_record: bool
    certificate: Certificate | None
    status: str | None


def _claimed_certificate(data: bytes) -> Certificate | None:
    for match in _CODE_IN_PDF.finditer(data):
        code = normalise("".join(part.decode() for part in match.groups()))
        cert = find_by_code(code) if code else None
        if cert is not None:
            return cert
    return None


def _certificate_with_hash(digest: str) -> Certificate | None:
    """An exact copy of a PDF we stored, whatever its metadata says (certificates.sha256)."""
    return db.session.scalar(select(Certificate).where(Certificate.sha256 == digest).limit(1))


def _verdict(signature: SignatureReport | None, matches: bool, cert: Certificate | None) -> str:
    if matches and signature is not None and signature.ok:
        return GENUINE
    if signature is None:
        return UNREADABLE
    if cert is not None or (signature.ours and not signature.ok):
        return CHANGED  # it names one of ours, or carries our signature, but is not as issued
    return UNKNOWN


def check_pdf(data: bytes) -> FileCheck:
    """Check a PDF: our signature intact over the whole file, and byte-identical to our copy."""
    try:
        signature: SignatureReport | None = check_pdf_signature(data)
    except UnreadablePdfError:
        signature = None
    digest = hashlib.sha256(data).hexdigest()
    cert = _claimed_certificate(data) or _certificate_with_hash(digest)
    matches = cert is not None and cert.sha256 == digest
    return FileCheck("pdf", _verdict(signature, matches, cert), signature, matches, cert,
                     _status(cert))


def _unverified_payload(token: str) -> dict | None:
    """What a token claims, read without trusting it, so a changed one still names its code."""
    try:
        segment = token.split(".")[1]
        payload = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (IndexError, ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def check_credential(data: bytes) -> FileCheck:
    """Check a VC-JWT: signed with one of our published keys, and the credential we issued."""
    token = data.strip().decode("ascii", errors="replace")
    payload = _unverified_payload(token)
    cert = _claimed_certificate(json.dumps(payload).encode()) if payload else None
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        ours = kid in {credentials.key_id(k.thumbprint) for k in credentials.issuer_keys()}
    except jwt.InvalidTokenError:
        return FileCheck("credential", UNREADABLE, None, False, cert, _status(cert))
    try:
        verified = credentials.verify_credential(token)
    except jwt.InvalidTokenError:
        verified = None
    signature = SignatureReport(signed=True, intact=verified is not None,
                                valid=verified is not None, ours=ours, whole_file=True,
                                signer=(payload or {}).get("issuer", {}).get("name")
                                if isinstance((payload or {}).get("issuer"), dict) else None)
    matches = (verified is not None and cert is not None and cert.kind == "staff"
               and verified == credentials.jwt_claims(credentials.build_credential(cert)))
    return FileCheck("credential", _verdict(signature, matches, cert), signature, matches,
                     cert, _status(cert))


def _status(cert: Certificate | None) -> str | None:
    return with_status([cert])[0][1] if cert is not None else None


def check_file(data: bytes) -> FileCheck:
    """Sniff the type from the bytes, then check it."""
    start = data.lstrip()[:5]
    if start == b"%PDF-":
        return check_pdf(data)
    if start.startswith(b"eyJ"):  # base64url of '{"' : a JSON Web Token
        return check_credential(data)
    raise NotACertificateFileError
