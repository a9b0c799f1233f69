"""Demo verification records, loaded after the demo visits:

- Riverside Cutlery Market Square: a green self-assessment and a trained member of staff, and
  a verified premises certificate issued from the officer's compliant follow-up visit;
- Demo Hardware High Street: a certificate verified after the compliant test purchase of
  20 November, suspended since the red self-assessment (and only one of two staff trained);
- Demo Hardware High Street: the business's own self-assessment statement.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select

from compliance.assessments.demo import GREEN, add_submitted
from compliance.audit import Actor
from compliance.auth.passwords import hash_password
from compliance.certificates import services as certificates
from compliance.certificates.codes import new_code
from compliance.certificates.pdf import CertificateData
from compliance.certificates.status import PREMISES, TITLES, day, record_changes
from compliance.extensions import db
from compliance.models import Certificate, Premises, Retailer, Role, User, Visit
from compliance.models.base import utcnow
from compliance.urls import verify_url
from compliance.verification.services import issue_verified_certificate

RIVERSIDE, HIGH_STREET = "Riverside Cutlery Market Square", "Demo Hardware High Street"


def load() -> None:
    if db.session.scalar(select(Certificate.id).where(Certificate.kind == PREMISES)
                         .limit(1)) is not None:
        return
    officer = db.session.scalar(select(User).where(User.email == "officer@example.com"))
    riverside = db.session.scalar(select(Premises).where(Premises.name == RIVERSIDE))
    high_street = db.session.scalar(select(Premises).where(Premises.name == HIGH_STREET))
    if None in (officer, riverside, high_street):
        return  # the demo data and visits first
    actor = Actor(user=officer, ip_address="demo")
    _verified_riverside(riverside, actor)
    _suspended_high_street(high_street, actor)
    certificates.issue_statement(high_street, actor=Actor(user=_manager(high_street)),
                                 verify_url=verify_url)
    db.session.flush()


def _latest_visit(premises: Premises) -> Visit:
    return db.session.scalars(select(Visit).where(
        Visit.premises_id == premises.id, Visit.status == "submitted")
        .order_by(Visit.visited_at.desc())).first()


def _manager(premises: Premises) -> User | None:
    return db.session.scalar(select(User).where(User.retailer_id == premises.retailer_id,
                                                User.role == Role.MANAGER))


def _person(premises: Premises, email: str, name: str, role: Role) -> User:
    """A demo member of the shop's team (no published password: they do not sign in)."""
    user = User(email=email, name=name, role=role, retailer_id=premises.retailer_id,
                premises_id=premises.id if role == Role.STAFF else None,
                password_hash=hash_password(secrets.token_urlsafe(24)))
    db.session.add(user)
    db.session.flush()
    return user


def _verified_riverside(premises: Premises, actor: Actor) -> None:
    from compliance.demo_data import pass_quiz
    from compliance.quiz.services import latest_completion

    manager = _person(premises, "owner@riverside-cutlery.example.com", "Ravi Riverside",
                      Role.MANAGER)
    staff = _person(premises, "till@riverside-cutlery.example.com", "Rosa Till", Role.STAFF)
    pass_quiz(staff, Actor(user=staff, ip_address="demo"), seed=7)
    certificates.issue_staff_certificate(latest_completion(staff.id), actor=actor,
                                         verify_url=verify_url,
                                         email_holder=False)
    add_submitted(premises, manager, utcnow() - timedelta(days=10), GREEN,
               {"training": ("yes", {"staff": 1, "trained": 1}),
                "refusals": ("yes", {"entries": 2, "sign_offs": 4})})
    issue_verified_certificate(_latest_visit(premises), actor=actor, verify_url=verify_url)


def _suspended_high_street(premises: Premises, actor: Actor) -> None:
    """Issued on the day of the visit, when its conditions held; suspended since."""
    visit = _latest_visit(premises)
    retailer = db.session.get_one(Retailer, premises.retailer_id)
    issued = visit.visited_at or utcnow()
    expires = issued + timedelta(days=365)
    code = new_code()
    data = CertificateData(
        code=code, kind=PREMISES, title=TITLES[PREMISES], holder_name=retailer.name,
        business_name=retailer.name, premises_name=premises.name,
        premises_address=premises.address, issued_on=day(issued), expires_on=day(expires),
        verify_url=verify_url(code),
        lines=(f"was visited by Demo Constabulary on {day(issued)} and verified: a green "
               "self-assessment, trained staff, and no unresolved failed test purchase.",))
    certificates.store_certificate(
        PREMISES, data, retailer_id=retailer.id, holder_user_id=None, premises_id=premises.id,
        issued_at=issued, expires_at=expires, actor=actor, visit_id=visit.id,
        details={"agency": "Demo Constabulary", "visited_at": issued.isoformat(),
                 "trained": 1, "staff": 1})
    record_changes([premises.id], actor)  # the red self-assessment since: suspended, audited
