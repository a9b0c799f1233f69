"""Issuing, verifying, revoking and superseding certificates."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from compliance import audit
from compliance.audit import Actor
from compliance.certificates.codes import new_code
from compliance.certificates.pdf import CertificateData, render_certificate_pdf
from compliance.extensions import db
from compliance.mail import Attachment, Email, Mailer
from compliance.models import (
    Assessment,
    Certificate,
    Premises,
    Retailer,
    Role,
    TrainingCompletion,
    User,
)
from compliance.models.base import utcnow
from compliance.signing import sign_pdf

VALID, EXPIRED, REVOKED, SUSPENDED, SUPERSEDED = (
    "valid", "expired", "revoked", "suspended", "superseded")


class NotEligible(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__(reasons)
        self.reasons = reasons


class AlreadyClosed(Exception):
    """The certificate is already revoked or superseded."""


def _day(value: datetime) -> str:
    return value.strftime("%-d %B %Y")


def suspended_premises(premises_ids: list[int]) -> set[int]:
    """Premises whose certificates are suspended: an unresolved failed test purchase."""
    from compliance.visits.services import premises_with_unresolved_failed_test_purchase

    return premises_with_unresolved_failed_test_purchase(premises_ids)


def status_of(cert: Certificate, suspended: set[int], now: datetime | None = None) -> str:
    now = now or utcnow()
    if cert.superseded_by_id is not None:
        return SUPERSEDED
    if cert.revoked_at is not None:
        return REVOKED
    if cert.expires_at <= now:
        return EXPIRED
    if cert.kind == "premises" and cert.premises_id in suspended:
        return SUSPENDED
    return VALID


def store_certificate(kind: str, data: CertificateData, *, retailer_id: int,
                      holder_user_id: int | None, premises_id: int | None,
                      issued_at: datetime, expires_at: datetime, actor: Actor,
                      details: dict, completion_id: int | None = None) -> Certificate:
    """Render and sign once, keep the bytes and their hash."""
    pdf = sign_pdf(render_certificate_pdf(data))
    cert = Certificate(code=data.code, kind=kind, holder_user_id=holder_user_id,
                       retailer_id=retailer_id, premises_id=premises_id,
                       completion_id=completion_id, holder_name=data.holder_name,
                       business_name=data.business_name, premises_name=data.premises_name,
                       details=details | {"lines": list(data.lines)}, issued_at=issued_at,
                       expires_at=expires_at, pdf=pdf,
                       sha256=hashlib.sha256(pdf).hexdigest(), issued_by_id=actor.user_id)
    db.session.add(cert)
    db.session.flush()
    audit.record(actor, "certificate_issued", f"Issued {kind} certificate {cert.code}",
                 target=cert)
    return cert


def _supersede(old: Certificate, new: Certificate, reason: str, actor: Actor) -> None:
    old.superseded_by_id = new.id
    old.supersede_reason = reason
    audit.record(actor, "certificate_superseded",
                 f"Certificate {old.code} superseded by {new.code}: {reason}", target=old)


def issue_staff_certificate(completion: TrainingCompletion, *, actor: Actor, mailer: Mailer,
                            verify_url: Callable[[str], str]) -> Certificate:
    """Issued automatically on a quiz pass, and emailed to the holder."""
    user = db.session.get_one(User, completion.user_id)
    retailer = db.session.get_one(Retailer, user.retailer_id)
    premises = db.session.get(Premises, user.premises_id) if user.premises_id else None
    code = new_code()
    score = completion.score_percent
    data = CertificateData(
        code=code, kind="staff", title="Responsible knife sales training certificate",
        holder_name=user.name, business_name=retailer.name,
        premises_name=premises.name if premises else None,
        premises_address=premises.address if premises else None,
        issued_on=_day(completion.completed_at), expires_on=_day(completion.expires_at),
        verify_url=verify_url(code),
        lines=(f"passed the responsible knife sales assessment with a score of {score}%.",))
    previous = db.session.scalars(select(Certificate).where(
        Certificate.holder_user_id == user.id, Certificate.kind == "staff",
        Certificate.superseded_by_id.is_(None), Certificate.revoked_at.is_(None))).all()
    cert = store_certificate("staff", data, retailer_id=retailer.id, holder_user_id=user.id,
                  premises_id=premises.id if premises else None,
                  issued_at=completion.completed_at, expires_at=completion.expires_at,
                  actor=actor, details={"score_percent": score}, completion_id=completion.id)
    for old in previous:
        _supersede(old, cert, "Renewed after a new pass", actor)
    db.session.flush()
    mailer.send(Email(
        to=user.email, subject="Your responsible knife sales training certificate",
        body=(f"Hello {user.name},\n\nWell done: you passed with {score}%. Your certificate "
              f"{code} is attached and is valid until {data.expires_on}.\n\nAnyone can check it "
              f"at {data.verify_url}\n"),
        attachments=(Attachment(f"certificate-{code}.pdf", "application/pdf", cert.pdf),)))
    return cert


@dataclass(frozen=True)
class Eligibility:
    reasons: list[str]
    trained: int
    staff: int

    @property
    def eligible(self) -> bool:
        return not self.reasons


def premises_eligibility(premises: Premises) -> Eligibility:
    """Which conditions for a premises certificate are not yet met, in plain words."""
    reasons: list[str] = []
    latest = db.session.scalar(select(Assessment).where(
        Assessment.premises_id == premises.id, Assessment.status == "submitted")
        .order_by(Assessment.submitted_at.desc()).limit(1))
    if latest is None:
        reasons.append("No self-assessment has been submitted for these premises yet.")
    elif latest.rating != "green":
        reasons.append(f"The latest self-assessment ({_day(latest.submitted_at)}) is rated "
                       f"{latest.rating}; it needs to be green.")
    staff_ids = list(db.session.scalars(select(User.id).where(
        User.premises_id == premises.id, User.role == Role.STAFF, User.active)))
    trained = db.session.scalar(select(func.count(func.distinct(Certificate.holder_user_id)))
                                .where(Certificate.holder_user_id.in_(staff_ids),
                                       Certificate.kind == "staff",
                                       Certificate.revoked_at.is_(None),
                                       Certificate.superseded_by_id.is_(None),
                                       Certificate.expires_at > utcnow())) or 0
    share = int(current_app.config["PREMISES_CERT_TRAINED_SHARE"])
    if not staff_ids:
        reasons.append("No active staff are recorded at these premises.")
    elif trained * 100 < share * len(staff_ids):
        reasons.append(f"{trained} of {len(staff_ids)} active staff hold a current training "
                       f"certificate; at least {share}% must.")
    if premises.id in suspended_premises([premises.id]):
        reasons.append("The premises has a failed test purchase that has not been resolved.")
    return Eligibility(reasons, trained, len(staff_ids))


def issue_premises_certificate(premises: Premises, *, actor: Actor,
                               verify_url: Callable[[str], str]) -> Certificate:
    eligibility = premises_eligibility(premises)
    if not eligibility.eligible:
        raise NotEligible(eligibility.reasons)
    retailer = db.session.get_one(Retailer, premises.retailer_id)
    now = utcnow()
    expires = now + timedelta(days=int(current_app.config["CERTIFICATE_VALID_DAYS"]))
    code = new_code()
    data = CertificateData(
        code=code, kind="premises", title="Premises compliance certificate",
        holder_name=retailer.name, business_name=retailer.name, premises_name=premises.name,
        premises_address=premises.address, issued_on=_day(now), expires_on=_day(expires),
        verify_url=verify_url(code),
        lines=("met the portal's conditions for responsible knife sales: a green "
               "self-assessment, trained staff, and no unresolved failed test purchase.",))
    previous = db.session.scalars(select(Certificate).where(
        Certificate.premises_id == premises.id, Certificate.kind == "premises",
        Certificate.superseded_by_id.is_(None), Certificate.revoked_at.is_(None))).all()
    cert = store_certificate("premises", data, retailer_id=retailer.id, holder_user_id=None,
                  premises_id=premises.id, issued_at=now, expires_at=expires, actor=actor,
                  details={"trained": eligibility.trained, "staff": eligibility.staff})
    for old in previous:
        _supersede(old, cert, "Renewed", actor)
    db.session.flush()
    return cert


def revoke(cert: Certificate, reason: str, actor: Actor) -> None:
    if cert.revoked_at is not None or cert.superseded_by_id is not None:
        raise AlreadyClosed
    cert.revoked_at, cert.revoked_by_id, cert.revoke_reason = utcnow(), actor.user_id, reason
    audit.record(actor, "certificate_revoked", f"Revoked certificate {cert.code}: {reason}",
                 target=cert)
    db.session.flush()


def reissue(cert: Certificate, *, holder_name: str, reason: str, actor: Actor,
            verify_url: Callable[[str], str]) -> Certificate:
    """Correct a certificate: a new one with the same dates supersedes it; it is never edited."""
    if cert.revoked_at is not None or cert.superseded_by_id is not None:
        raise AlreadyClosed
    premises = db.session.get(Premises, cert.premises_id) if cert.premises_id else None
    code = new_code()
    data = CertificateData(
        code=code, kind=cert.kind,
        title=("Responsible knife sales training certificate" if cert.kind == "staff"
               else "Premises compliance certificate"),
        holder_name=holder_name.strip(), business_name=cert.business_name,
        premises_name=cert.premises_name, premises_address=premises.address if premises else None,
        issued_on=_day(cert.issued_at), expires_on=_day(cert.expires_at),
        verify_url=verify_url(code), lines=tuple(cert.details.get("lines", ())))
    new = store_certificate(cert.kind, data, retailer_id=cert.retailer_id,
                 holder_user_id=cert.holder_user_id, premises_id=cert.premises_id,
                 issued_at=cert.issued_at, expires_at=cert.expires_at, actor=actor,
                 details={k: v for k, v in cert.details.items() if k != "lines"}
                 | {"replaces": cert.code},
                 completion_id=cert.completion_id)
    _supersede(cert, new, reason, actor)
    db.session.flush()
    return new


def find_by_code(code: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def record_verification(cert: Certificate) -> None:
    """Count a verification without racing other requests (an UPDATE, not read-modify-write)."""
    db.session.execute(Certificate.__table__.update().where(Certificate.id == cert.id)
                       .values(verifications=Certificate.verifications + 1))
