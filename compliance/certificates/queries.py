"""Which certificates a person may see, bundles for managers, and the daily expiry job."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import undefer

from compliance import audit
from compliance.audit import Actor
from compliance.certificates.status import (
    PREMISES,
    STAFF,
    STATEMENT,
    SUSPENDED,
    TITLES,
    PremisesConditions,
    day,
    premises_conditions,
    record_changes,
    status_of,
    suspension_reasons,
    trained_share,
)
from compliance.csv_export import csv_text
from compliance.extensions import db
from compliance.mail import Email, Mailer
from compliance.models import Certificate, Premises, Role, User, VerificationRequest
from compliance.models.base import utcnow
from compliance.paging import Page, capped_page


def visible_to(user: User) -> Select:
    """Holders see theirs; managers their business's; officers and admins every one."""
    stmt = select(Certificate).order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    if user.role in (Role.OFFICER, Role.ADMIN):
        return stmt
    if user.role == Role.MANAGER:
        return stmt.where(Certificate.retailer_id == user.retailer_id)
    return stmt.where(Certificate.holder_user_id == user.id)


def certificate_page(user: User, page: int, per_page: int, cap: int) -> Page:
    """A page of the certificates the user may see, newest first, counted up to `cap` (one
    statement; the order is a range of ix_certificates_issued or _retailer_issued)."""
    return capped_page(db.session, visible_to(user), Certificate.id, page, per_page, cap)


def can_see(user: User, cert: Certificate) -> bool:
    if user.role in (Role.OFFICER, Role.ADMIN):
        return True
    if user.role == Role.MANAGER:
        return cert.retailer_id == user.retailer_id
    return cert.holder_user_id == user.id


def with_status(certs: list[Certificate]) -> list[tuple[Certificate, str]]:
    """Each certificate with its status, in a fixed number of queries however many there are."""
    now = utcnow()
    reasons = suspension_reasons(certs, now)
    return [(c, status_of(c, reasons, now)) for c in certs]


class CertificateView:
    """A certificate as the public sees it: status, why it is suspended, what replaced it."""

    def __init__(self, cert: Certificate,
                 reasons: Mapping[int, list[str]] | None = None) -> None:
        self.cert = cert
        if reasons is None:
            reasons = suspension_reasons([cert])
        self.status = status_of(cert, reasons)
        self.reasons = reasons.get(cert.premises_id or 0, []) \
            if self.status == SUSPENDED else []
        self.replacement = db.session.get(Certificate, cert.superseded_by_id) \
            if cert.superseded_by_id else None
        self.title = TITLES.get(cert.kind, cert.kind)
        self.visited_on = _day(cert.details.get("visited_at"))
        self.assessed_on = _day(cert.details.get("assessed_at"))


def _day(iso: str | None) -> str | None:
    return day(datetime.fromisoformat(iso)) if iso else None




def describe(cert: Certificate,
             reasons: Mapping[int, list[str]] | None = None) -> CertificateView:
    """`reasons`: the certificate's unmet conditions if already known (see status)."""
    return CertificateView(cert, reasons)


@dataclass(frozen=True)
class PremisesRecords:
    """What a manager sees about one premises' statement and verified certificate."""

    conditions: PremisesConditions
    unmet: list[str]
    statement: tuple[Certificate, str] | None
    verified: tuple[Certificate, str] | None
    request: VerificationRequest | None


def _latest_open(premises_id: int, kind: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(
        Certificate.premises_id == premises_id, Certificate.kind == kind,
        Certificate.superseded_by_id.is_(None)).order_by(
        Certificate.issued_at.desc(), Certificate.id.desc()).limit(1))


def premises_records(premises: Premises) -> PremisesRecords:
    conditions = premises_conditions([premises.id])[premises.id]
    latest = [c for c in (_latest_open(premises.id, STATEMENT),
                          _latest_open(premises.id, PREMISES)) if c is not None]
    statuses = {c.kind: (c, s) for c, s in with_status(latest)}
    request = db.session.scalar(select(VerificationRequest).where(
        VerificationRequest.premises_id == premises.id,
        VerificationRequest.resolved_at.is_(None)))
    return PremisesRecords(conditions, conditions.unmet(trained_share()),
                           statuses.get(STATEMENT), statuses.get(PREMISES), request)


BUNDLE_INDEX_HEADER = ["Code", "Kind", "Holder", "Premises", "Issued", "Expires", "Status",
                       "SHA-256", "File"]


BUNDLE_CHUNK = 200  # certificates (and their PDFs) held in memory at once


def write_business_bundle(retailer_id: int, out: BinaryIO) -> int:
    """Write a ZIP of every certificate of a business with an index.csv (codes included) to
    `out`, a chunk of certificates at a time: a chain's thousands of PDFs never sit in memory
    together (the export job calls this; `out` need not be seekable). Returns how many."""
    stmt = (select(Certificate).options(undefer(Certificate.pdf))
            .where(Certificate.retailer_id == retailer_id)
            .order_by(Certificate.issued_at, Certificate.id)
            .execution_options(yield_per=BUNDLE_CHUNK))
    index = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for part in db.session.scalars(stmt).partitions():
            chunk = list(part)
            for cert, status in with_status(chunk):
                name = f"certificate-{cert.code}.pdf" if cert.pdf is not None else ""
                if cert.pdf is not None:  # otherwise still being prepared by its job
                    bundle.writestr(name, cert.pdf)
                index.append([cert.code, cert.kind, cert.holder_name, cert.premises_name or "",
                              cert.issued_at.date().isoformat(),
                              cert.expires_at.date().isoformat(), status, cert.sha256 or "",
                              name])
            for cert in chunk:  # the chunk's PDFs go with it
                db.session.expunge(cert)
        bundle.writestr("index.csv", csv_text(BUNDLE_INDEX_HEADER, index).encode())
    return len(index)


@dataclass(frozen=True)
class ExpiryReport:
    expired: int
    reminded: int
    status_changes: int = 0


def _recipients(cert: Certificate, managers: dict[int, list[User]],
                holders: dict[int, User]) -> list[str]:
    emails = [m.email for m in managers.get(cert.retailer_id, [])]
    holder = holders.get(cert.holder_user_id or 0)
    return ([holder.email] if holder else []) + emails


def expire_certificates(mailer: Mailer, actor: Actor, now: datetime | None = None, *,
                        remind_staff: bool = True) -> ExpiryReport:
    """Mark newly expired certificates; warn holders and managers 30 days before expiry.

    With remind_staff=False, training certificates get no warning here: the daily reminders
    (compliance.reminders) warn about the training they certify instead.
    """
    now = now or utcnow()
    soon = now + timedelta(days=int(current_app.config["CERTIFICATE_REMINDER_DAYS"]))
    open_ = (Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None))
    expired = list(db.session.scalars(select(Certificate).where(
        *open_, Certificate.expires_at <= now, Certificate.expired_marked_at.is_(None))))
    due = list(db.session.scalars(select(Certificate).where(
        *open_, Certificate.expires_at > now, Certificate.expires_at <= soon,
        Certificate.reminder_sent_at.is_(None),
        *(() if remind_staff else (Certificate.kind != STAFF,)))))
    retailer_ids = {c.retailer_id for c in due}
    managers: dict[int, list[User]] = {}
    for m in db.session.scalars(select(User).where(User.retailer_id.in_(retailer_ids),
                                                   User.role == Role.MANAGER, User.active)):
        managers.setdefault(m.retailer_id or 0, []).append(m)
    holder_ids = {c.holder_user_id for c in due if c.holder_user_id}
    holders = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_(holder_ids), User.active))}
    for cert in expired:
        cert.expired_marked_at = now
        audit.record(actor, "certificate_expired", f"Certificate {cert.code} expired",
                     target=cert)
    for cert in due:
        for to in _recipients(cert, managers, holders):
            mailer.send(Email(to=to, subject=f"Certificate {cert.code} expires soon",
                              body=(f"The {cert.kind} certificate {cert.code} for "
                                    f"{cert.holder_name} expires on "
                                    f"{cert.expires_at.strftime('%-d %B %Y')}. "
                                    "Renew it before then to keep your records current.\n")))
        cert.reminder_sent_at = now
    db.session.flush()
    # Conditions that lapse with time alone (training running out) are audited here daily.
    verified = db.session.scalars(select(Certificate.premises_id).where(
        *open_, Certificate.kind == PREMISES, Certificate.expires_at > now).distinct())
    changes = record_changes([p for p in verified if p], actor, now)
    return ExpiryReport(len(expired), len(due), changes)
