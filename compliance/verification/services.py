"""Rules for verified premises certificates and requests for a verification visit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from compliance import audit
from compliance.audit import Actor
from compliance.certificates.codes import new_code
from compliance.certificates.pdf import CertificateData
from compliance.certificates.services import NotEligible, store_certificate, supersede_open
from compliance.certificates.status import (
    PREMISES,
    TITLES,
    PremisesConditions,
    day,
    premises_conditions,
    trained_share,
)
from compliance.extensions import db
from compliance.models import (
    Agency,
    Certificate,
    Premises,
    Retailer,
    VerificationRequest,
    Visit,
)
from compliance.models.base import utcnow

# Visit outcomes an officer can certify from: nothing was found that needs a follow-up.
SATISFACTORY_OUTCOMES = ("compliant", "advice_given")


class AlreadyRequested(Exception):
    """The premises already has an open request for a verification visit."""


@dataclass(frozen=True)
class Verification:
    """Whether a visit can verify its premises now, and why not."""

    visit: Visit
    conditions: PremisesConditions
    reasons: list[str]

    @property
    def eligible(self) -> bool:
        return not self.reasons


def valid_days() -> int:
    return int(current_app.config["CERTIFICATE_VALID_DAYS"])


def check_visit(visit: Visit, now: datetime | None = None) -> Verification:
    """A submitted, satisfactory visit in the last 12 months, the latest one to the premises,
    and every premises condition met."""
    now = now or utcnow()
    reasons = []
    if visit.status != "submitted" or visit.visited_at is None:
        reasons.append("The visit has not been submitted.")
    else:
        if visit.outcome not in SATISFACTORY_OUTCOMES:
            reasons.append("The visit's outcome was not satisfactory (compliant, or advice "
                           "given with nothing to follow up).")
        if visit.visited_at < now - timedelta(days=valid_days()):
            reasons.append("The visit was more than 12 months ago.")
        later = db.session.scalar(select(Visit.id).where(
            Visit.premises_id == visit.premises_id, Visit.status == "submitted",
            Visit.visited_at > visit.visited_at).limit(1))
        if later is not None:
            reasons.append("A later visit to these premises has been recorded: verify from "
                           "that one.")
    conditions = premises_conditions([visit.premises_id], now)[visit.premises_id]
    return Verification(visit, conditions, reasons + conditions.unmet(trained_share()))


def issue_verified_certificate(visit: Visit, *, actor: Actor,
                               verify_url: Callable[[str], str]) -> Certificate:
    """Issue the premises certificate an officer's satisfactory visit supports."""
    verification = check_visit(visit)
    if not verification.eligible:
        raise NotEligible(verification.reasons)
    premises = db.session.get_one(Premises, visit.premises_id)
    retailer = db.session.get_one(Retailer, premises.retailer_id)
    agency_row = db.session.get(Agency, visit.agency_id) if visit.agency_id else None
    agency = agency_row.name if agency_row is not None else "an engagement officer"
    visited_at = visit.visited_at
    assert visited_at is not None  # noqa: S101 - checked above
    expires = visited_at + timedelta(days=valid_days())
    code = new_code()
    conditions = verification.conditions
    data = CertificateData(
        code=code, kind=PREMISES, title=TITLES[PREMISES], holder_name=retailer.name,
        business_name=retailer.name, premises_name=premises.name,
        premises_address=premises.address, issued_on=day(utcnow()), expires_on=day(expires),
        verify_url=verify_url(code),
        lines=(f"was visited by {agency} on {day(visited_at)} and verified: a green "
               f"self-assessment, {conditions.trained} of {conditions.staff} active staff "
               "trained, and no unresolved failed test purchase.",
               "The certificate is suspended whenever one of these conditions lapses; check "
               "its current status at the address below."))
    cert = store_certificate(
        PREMISES, data, retailer_id=retailer.id, holder_user_id=None, premises_id=premises.id,
        issued_at=utcnow(), expires_at=expires, actor=actor, visit_id=visit.id,
        details={"agency": agency, "visited_at": visited_at.isoformat(),
                 "trained": conditions.trained, "staff": conditions.staff})
    supersede_open(premises_id=premises.id, kind=PREMISES, new=cert,
                   reason="Verified again", actor=actor)
    resolve_requests(premises.id, visit, actor)
    return cert


def request_visit(premises: Premises, reason: str, actor: Actor) -> VerificationRequest:
    """Ask officers for a verification visit (one open request per premises)."""
    request = VerificationRequest(premises_id=premises.id, requested_by_id=actor.user_id,
                                  reason=reason.strip())
    try:
        with db.session.begin_nested():
            db.session.add(request)
    except IntegrityError as exc:
        raise AlreadyRequested from exc
    audit.record(actor, "verification_requested",
                 f"Asked for a verification visit to {premises.name}", target=request,
                 details={"premises_id": premises.id})
    db.session.flush()
    return request


def open_request(premises_id: int) -> VerificationRequest | None:
    return db.session.scalar(select(VerificationRequest).where(
        VerificationRequest.premises_id == premises_id,
        VerificationRequest.resolved_at.is_(None)))


def resolve_requests(premises_id: int, visit: Visit, actor: Actor) -> None:
    request = open_request(premises_id)
    if request is None:
        return
    request.resolved_at, request.resolved_by_visit_id = utcnow(), visit.id
    audit.record(actor, "verification_request_resolved",
                 f"Verification visit request {request.id} answered by visit {visit.id}",
                 target=request)
    db.session.flush()

