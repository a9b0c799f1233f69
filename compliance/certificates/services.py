"""Issuing, verifying, revoking and superseding certificates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from compliance import audit, jobs
from compliance.audit import Actor
from compliance.certificates.codes import new_code
from compliance.certificates.pdf import CertificateData
from compliance.certificates.status import (
    STAFF,
    STATEMENT,
    TITLES,
    day,
    premises_conditions,
    record_changes,
)
from compliance.extensions import db
from compliance.models import (
    Certificate,
    JobOutbox,
    Premises,
    Retailer,
    TrainingCompletion,
    User,
)
from compliance.models.base import utcnow

RENDER_JOB = "certificates.render"


class NotEligible(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__(reasons)
        self.reasons = reasons


class AlreadyClosed(Exception):
    """The certificate is already revoked or superseded."""


def store_certificate(kind: str, data: CertificateData, *, retailer_id: int,
                      holder_user_id: int | None, premises_id: int | None,
                      issued_at: datetime, expires_at: datetime, actor: Actor,
                      details: dict, completion_id: int | None = None,
                      visit_id: int | None = None, email_holder: bool = False) -> Certificate:
    """Record the certificate now; a job renders, signs and stores its PDF after the commit.

    The facts (and the verify page) are true from the commit; the PDF follows in seconds.
    """
    cert = Certificate(code=data.code, kind=kind, holder_user_id=holder_user_id,
                       retailer_id=retailer_id, premises_id=premises_id,
                       completion_id=completion_id, holder_name=data.holder_name,
                       business_name=data.business_name, premises_name=data.premises_name,
                       details=details | {"lines": list(data.lines)}, issued_at=issued_at,
                       expires_at=expires_at, pdf=None, sha256=None,
                       issued_by_id=actor.user_id, visit_id=visit_id)
    db.session.add(cert)
    db.session.flush()
    audit.record(actor, "certificate_issued", f"Issued {kind} certificate {cert.code}",
                 target=cert)
    cert.render_job = jobs.enqueue(RENDER_JOB, certificate_id=cert.id, data=asdict(data),
                                   email_holder=email_holder)
    return cert


def pdf_state(cert: Certificate) -> str:
    """The PDF's state: "ready" once stored; "failed" if the job making it has died (every
    attempt failed: administrators see it on their home page and can run it again from the
    jobs page); else "waiting"."""
    if cert.pdf_ready:
        return "ready"
    if cert.render_job_id is not None:
        job = db.session.get(JobOutbox, cert.render_job_id)
        if job is not None and job.dead_at is not None and job.finished_at is None:
            return "failed"
    return "waiting"


def _supersede(old: Certificate, new: Certificate, reason: str, actor: Actor) -> None:
    old.superseded_by_id = new.id
    old.supersede_reason = reason
    audit.record(actor, "certificate_superseded",
                 f"Certificate {old.code} superseded by {new.code}: {reason}", target=old)


def issue_staff_certificate(completion: TrainingCompletion, *, actor: Actor,
                            verify_url: Callable[[str], str],
                            email_holder: bool = True) -> Certificate:
    """Issued automatically on a quiz pass; its PDF is rendered and emailed by a job."""
    user = db.session.get_one(User, completion.user_id)
    retailer = db.session.get_one(Retailer, user.retailer_id)
    premises = db.session.get(Premises, user.premises_id) if user.premises_id else None
    code = new_code()
    score = completion.score_percent
    data = CertificateData(
        code=code, kind=STAFF, title=TITLES[STAFF],
        holder_name=user.name, business_name=retailer.name,
        premises_name=premises.name if premises else None,
        premises_address=premises.address if premises else None,
        issued_on=day(completion.completed_at), expires_on=day(completion.expires_at),
        verify_url=verify_url(code),
        lines=(f"passed the responsible knife sales assessment with a score of {score}%.",))
    previous = db.session.scalars(select(Certificate).where(
        Certificate.holder_user_id == user.id, Certificate.kind == STAFF,
        Certificate.superseded_by_id.is_(None), Certificate.revoked_at.is_(None))).all()
    cert = store_certificate("staff", data, retailer_id=retailer.id, holder_user_id=user.id,
                  premises_id=premises.id if premises else None,
                  issued_at=completion.completed_at, expires_at=completion.expires_at,
                  actor=actor, details={"score_percent": score}, completion_id=completion.id,
                  email_holder=email_holder)
    for old in previous:
        _supersede(old, cert, "Renewed after a new pass", actor)
    db.session.flush()
    if premises is not None:  # more trained staff can bring a suspended certificate back
        record_changes([premises.id], actor)
    return cert


def issue_statement(premises: Premises, *, actor: Actor,
                    verify_url: Callable[[str], str]) -> Certificate:
    """A self-assessment statement: the business's own declaration, never an inspection.

    It states the latest self-assessment's rating and date and the trained-staff share, as
    they stand at issue; a newer statement replaces it.
    """
    conditions = premises_conditions([premises.id])[premises.id]
    if conditions.rating is None or conditions.assessed_at is None:
        raise NotEligible(["Submit a self-assessment for these premises first."])
    retailer = db.session.get_one(Retailer, premises.retailer_id)
    now = utcnow()
    expires = now + timedelta(days=int(current_app.config["CERTIFICATE_VALID_DAYS"]))
    code = new_code()
    trained = f"{conditions.trained} of {conditions.staff}"
    data = CertificateData(
        code=code, kind=STATEMENT, title=TITLES[STATEMENT],
        holder_name=retailer.name, business_name=retailer.name, premises_name=premises.name,
        premises_address=premises.address, issued_on=day(now), expires_on=day(expires),
        verify_url=verify_url(code),
        lines=(f"declared in its own self-assessment of {day(conditions.assessed_at)} a "
               f"{conditions.rating} rating, with {trained} active staff holding current "
               "training.",
               "Self-assessed by the business, not inspected. This is not a police or "
               "trading standards certificate."))
    cert = store_certificate(
        STATEMENT, data, retailer_id=retailer.id, holder_user_id=None, premises_id=premises.id,
        issued_at=now, expires_at=expires, actor=actor,
        details={"rating": conditions.rating, "assessed_at": conditions.assessed_at.isoformat(),
                 "trained": conditions.trained, "staff": conditions.staff})
    supersede_open(premises_id=premises.id, kind=STATEMENT, new=cert, reason="Renewed",
                   actor=actor)
    return cert


def supersede_open(*, premises_id: int, kind: str, new: Certificate, reason: str,
                   actor: Actor) -> None:
    """Mark the premises' other open certificates of this kind as replaced by new."""
    for old in db.session.scalars(select(Certificate).where(
            Certificate.premises_id == premises_id, Certificate.kind == kind,
            Certificate.id != new.id, Certificate.superseded_by_id.is_(None),
            Certificate.revoked_at.is_(None))):
        _supersede(old, new, reason, actor)
    db.session.flush()


def revoke(cert: Certificate, reason: str, actor: Actor) -> None:
    if cert.revoked_at is not None or cert.superseded_by_id is not None:
        raise AlreadyClosed
    cert.revoked_at, cert.revoked_by_id, cert.revoke_reason = utcnow(), actor.user_id, reason
    audit.record(actor, "certificate_revoked", f"Revoked certificate {cert.code}: {reason}",
                 target=cert)
    db.session.flush()
    if cert.kind == STAFF and cert.premises_id:  # fewer trained staff can suspend one
        record_changes([cert.premises_id], actor)


def reissue(cert: Certificate, *, holder_name: str, reason: str, actor: Actor,
            verify_url: Callable[[str], str]) -> Certificate:
    """Correct a certificate: a new one with the same dates supersedes it; it is never edited."""
    if cert.revoked_at is not None or cert.superseded_by_id is not None:
        raise AlreadyClosed
    premises = db.session.get(Premises, cert.premises_id) if cert.premises_id else None
    code = new_code()
    data = CertificateData(
        code=code, kind=cert.kind,
        title=TITLES[cert.kind],
        holder_name=holder_name.strip(), business_name=cert.business_name,
        premises_name=cert.premises_name, premises_address=premises.address if premises else None,
        issued_on=day(cert.issued_at), expires_on=day(cert.expires_at),
        verify_url=verify_url(code), lines=tuple(cert.details.get("lines", ())))
    new = store_certificate(cert.kind, data, retailer_id=cert.retailer_id,
                 holder_user_id=cert.holder_user_id, premises_id=cert.premises_id,
                 issued_at=cert.issued_at, expires_at=cert.expires_at, actor=actor,
                 details={k: v for k, v in cert.details.items() if k != "lines"}
                 | {"replaces": cert.code},
                 completion_id=cert.completion_id, visit_id=cert.visit_id)
    _supersede(cert, new, reason, actor)
    db.session.flush()
    return new


def find_by_code(code: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def verify_by_code(code: str) -> Certificate | None:
    """The certificate with this code, its verification counted in the same statement.

    One UPDATE ... RETURNING: the count cannot race other requests (no read-modify-write) and
    the look-up costs no second round trip."""
    return db.session.scalar(update(Certificate).where(Certificate.code == code)
                             .values(verifications=Certificate.verifications + 1)
                             .returning(Certificate))
