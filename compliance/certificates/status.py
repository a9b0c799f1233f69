"""A certificate's status, live: valid, suspended (with reasons), expired, revoked, replaced.

A verified premises certificate holds only while its conditions hold: the latest
self-assessment is green, enough active staff hold current training, and no failed test
purchase is unresolved. Status is worked out when it is shown, so it is never stale; the last
status seen is kept on the certificate so that each change is written to the audit log once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, func, select

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Assessment, Certificate, Premises, Role, TestPurchase, User
from compliance.models.base import utcnow

VALID, EXPIRED, REVOKED, SUSPENDED, SUPERSEDED = (
    "valid", "expired", "revoked", "suspended", "superseded")
STAFF, STATEMENT, PREMISES = "staff", "statement", "premises"
# What each kind is called on the PDF and the verify page.
TITLES = {STAFF: "Responsible knife sales training certificate",
          STATEMENT: "Self-assessment statement",
          PREMISES: "Verified premises certificate"}


def day(value: datetime) -> str:
    return value.strftime("%-d %B %Y")


@dataclass(frozen=True)
class PremisesConditions:
    """What a verified premises certificate depends on, for one premises."""

    rating: str | None = None
    assessed_at: datetime | None = None
    trained: int = 0
    staff: int = 0
    failed_test_purchase: bool = False

    def unmet(self, share: int) -> list[str]:
        """The conditions not met, in plain words (empty when all hold)."""
        reasons = []
        if self.rating is None or self.assessed_at is None:
            reasons.append("No self-assessment has been submitted for these premises.")
        elif self.rating != "green":
            reasons.append(f"The latest self-assessment ({day(self.assessed_at)}) is rated "
                           f"{self.rating}; it needs to be green.")
        if not self.staff:
            reasons.append("No active staff are recorded at these premises.")
        elif self.trained * 100 < share * self.staff:
            reasons.append(f"{self.trained} of {self.staff} active staff hold a current "
                           f"training certificate; at least {share}% must.")
        if self.failed_test_purchase:
            reasons.append("A failed test purchase at these premises has not been resolved.")
        return reasons


def trained_share() -> int:
    return int(current_app.config["PREMISES_CERT_TRAINED_SHARE"])


def conditions_columns() -> tuple:
    """Every condition of a premises at `:now`, as labelled columns correlated to the
    premises table (rating, assessed_at, trained, staff, failed): select them beside
    `Premises` and read each row with `conditions_of`. Correlated subqueries, each answered
    from an index on the premises' own rows."""
    from compliance.visits.services import unresolved_failures

    premises = Premises.id
    latest = (select(Assessment.id)
              .where(Assessment.premises_id == premises, Assessment.status == "submitted")
              .order_by(Assessment.submitted_at.desc(), Assessment.id.desc()).limit(1)
              .correlate(Premises).scalar_subquery())
    rating = select(Assessment.rating).where(Assessment.id == latest).scalar_subquery()
    assessed = select(Assessment.submitted_at).where(Assessment.id == latest).scalar_subquery()
    active = (User.premises_id == premises, User.role == Role.STAFF, User.active.is_(True))
    staff = select(func.count(User.id)).where(*active).correlate(Premises).scalar_subquery()
    trained = (select(func.count(func.distinct(User.id)))
               .join(Certificate, Certificate.holder_user_id == User.id)
               .where(*active, Certificate.kind == STAFF, Certificate.revoked_at.is_(None),
                      Certificate.superseded_by_id.is_(None),
                      Certificate.expires_at > bindparam("now", type_=Certificate.expires_at.type))
               .correlate(Premises).scalar_subquery())
    failed = (unresolved_failures().where(TestPurchase.premises_id == premises)
              .correlate(Premises).exists())
    return (rating.label("rating"), assessed.label("assessed_at"), trained.label("trained"),
            staff.label("staff"), failed.label("failed"))


def conditions_of(row) -> PremisesConditions:
    """A premises' conditions from a row holding `conditions_columns()`."""
    return PremisesConditions(row.rating, row.assessed_at, trained=row.trained, staff=row.staff,
                              failed_test_purchase=bool(row.failed))


@cache
def _conditions_statement():
    """Every condition of the premises `:ids` at `:now`, one row each, in one statement.

    Built once: constructing a statement this size is itself about a millisecond of Python."""
    return (select(Premises.id, *conditions_columns())
            .where(Premises.id.in_(bindparam("ids", expanding=True))))


def premises_conditions(premises_ids: Iterable[int],
                        now: datetime | None = None) -> dict[int, PremisesConditions]:
    """Conditions for many premises in one query, however many there are."""
    ids = sorted(set(premises_ids))
    if not ids:
        return {}
    rows = db.session.execute(_conditions_statement(), {"ids": ids, "now": now or utcnow()})
    found = {row.id: conditions_of(row) for row in rows}
    return {p: found.get(p, PremisesConditions()) for p in ids}


def suspension_reasons(certs: Iterable[Certificate],
                       now: datetime | None = None) -> dict[int, list[str]]:
    """Unmet conditions by premises id, for the verified premises certificates among certs."""
    ids = [c.premises_id for c in certs if c.kind == PREMISES and c.premises_id]
    share = trained_share()
    return {p: conditions.unmet(share)
            for p, conditions in premises_conditions(ids, now).items()}


def status_of(cert: Certificate, reasons: Mapping[int, list[str]],
              now: datetime | None = None) -> str:
    now = now or utcnow()
    if cert.superseded_by_id is not None:
        return SUPERSEDED
    if cert.revoked_at is not None:
        return REVOKED
    if cert.expires_at <= now:
        return EXPIRED
    if cert.kind == PREMISES and reasons.get(cert.premises_id or 0):
        return SUSPENDED
    return VALID


def record_changes(premises_ids: Iterable[int], actor: Actor,
                   now: datetime | None = None,
                   reasons: Mapping[int, list[str]] | None = None,
                   certs: list[Certificate] | None = None) -> int:
    """Audit each verified certificate of these premises whose status changed since last seen.

    Called after anything that can change a condition (a self-assessment, a visit, training,
    staff leaving) and by the daily job, which catches training that simply runs out.
    `reasons`: the unmet conditions of exactly these premises, when the caller has them already
    (the verify page), so they are not queried twice in one request; `certs`: the current
    verified certificates of these premises, when the caller has loaded them.
    """
    ids = sorted(set(premises_ids))
    if not ids:
        return 0
    now = now or utcnow()
    certs = certs if certs is not None else list(db.session.scalars(select(Certificate).where(
        Certificate.kind == PREMISES, Certificate.premises_id.in_(ids),
        Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None),
        Certificate.expires_at > now)))
    if reasons is None:
        reasons = suspension_reasons(certs, now)
    changed = 0
    for cert in certs:
        now_reason = " ".join(reasons.get(cert.premises_id or 0, [])) or None
        if now_reason == cert.suspended_reason:
            continue
        if now_reason:
            audit.record(actor, "certificate_suspended",
                         f"Certificate {cert.code} suspended: {now_reason}", target=cert)
        else:
            audit.record(actor, "certificate_reinstated",
                         f"Certificate {cert.code} valid again: every condition is met",
                         target=cert)
        cert.suspended_reason = now_reason
        changed += 1
    db.session.flush()
    return changed

