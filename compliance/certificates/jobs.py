"""Certificate jobs: render, sign and store the PDF after issue; email it to its holder."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import undefer

from compliance import jobs
from compliance.certificates.pdf import CertificateData, render_certificate_pdf
from compliance.certificates.services import RENDER_JOB
from compliance.certificates.status import day
from compliance.extensions import db
from compliance.mail import Attachment, Email, get_mailer
from compliance.models import Certificate, User
from compliance.signing import sign_pdf

EMAIL_JOB = "certificates.email_holder"


@jobs.job(RENDER_JOB)
def render(certificate_id: int, data: dict[str, Any], email_holder: bool = False) -> None:
    """Render and sign once. Idempotent: a PDF already stored is kept as it is (and its email
    was enqueued by the run that stored it)."""
    cert = db.session.get(Certificate, certificate_id)
    if cert is None or cert.sha256 is not None:
        return
    printed = CertificateData(**(data | {"lines": tuple(data.get("lines", ()))}))
    pdf = sign_pdf(render_certificate_pdf(printed))
    cert.pdf, cert.sha256 = pdf, hashlib.sha256(pdf).hexdigest()
    if email_holder and cert.holder_user_id is not None:
        jobs.enqueue(EMAIL_JOB, certificate_id=cert.id)
    db.session.flush()


@jobs.job(EMAIL_JOB)
def email_holder(certificate_id: int) -> None:
    """Send the stored PDF to its holder (sent at least once: a worker lost after sending and
    before recording it sends again)."""
    cert = db.session.scalar(select(Certificate).where(Certificate.id == certificate_id)
                             .options(undefer(Certificate.pdf)))
    if cert is None or cert.pdf is None or cert.holder_user_id is None:
        return
    user = db.session.get_one(User, cert.holder_user_id)
    from compliance.urls import verify_url

    score = cert.details.get("score_percent")
    expires = day(cert.expires_at)
    get_mailer().send(Email(
        to=user.email, subject="Your responsible knife sales training certificate",
        body=(f"Hello {user.name},\n\nWell done: you passed with {score}%. Your certificate "
              f"{cert.code} is attached and is valid until {expires}.\n\nAnyone can check it "
              f"at {verify_url(cert.code)}\n"),
        attachments=(Attachment(f"certificate-{cert.code}.pdf", "application/pdf", cert.pdf),)))
