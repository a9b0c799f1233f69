"""PAdES signatures on the PDFs the service issues, and checking them.

Entry points: `sign_pdf(pdf) -> bytes` at issue time and `check_pdf_signature(pdf)` for files
people send back. Keys come from configuration (see keys.py); nothing here touches the
database.
"""

from compliance.signing.keys import (
    SigningNotConfiguredError,
    create_self_signed,
    current_signing_key,
    init_app,
    load_signing_key,
    service_certificates,
)
from compliance.signing.pades import (
    SignatureReport,
    UnreadablePdfError,
    check_pdf_signature,
    sign_pdf,
)

__all__ = [
    "SignatureReport",
    "SigningNotConfiguredError",
    "UnreadablePdfError",
    "check_pdf_signature",
    "create_self_signed",
    "current_signing_key",
    "init_app",
    "load_signing_key",
    "service_certificates",
    "sign_pdf",
]
