"""Demo data for the embedded demo. Every loader is idempotent: it looks before it adds."""

from __future__ import annotations

from sqlalchemy import select

from compliance.auth.passwords import hash_password
from compliance.demo import DEMO_PASSWORD
from compliance.extensions import db
from compliance.models import Agency, AgencyKind, Jurisdiction, Premises, Retailer, Role, User

DEMO_RETAILER = "Demo Hardware Ltd"


def _get_or_add(model, lookup: dict, **values):
    found = db.session.scalar(select(model).filter_by(**lookup))
    if found is None:
        found = model(**lookup, **values)
        db.session.add(found)
        db.session.flush()
    return found


def load_demo_data() -> None:
    agency = _get_or_add(Agency, {"name": "Demo Constabulary"}, kind=AgencyKind.POLICE)
    _get_or_add(Agency, {"name": "Demo Council Trading Standards"},
                kind=AgencyKind.TRADING_STANDARDS)
    retailer = _get_or_add(Retailer, {"name": DEMO_RETAILER}, contact_name="Sam Manager",
                           contact_email="manager@example.com")
    high_street = _get_or_add(
        Premises, {"retailer_id": retailer.id, "name": "Demo Hardware High Street"},
        address_line_1="1 High Street", town="Exampleton", postcode="EX1 1AA",
        jurisdiction=Jurisdiction.ENGLAND_WALES)
    _get_or_add(
        Premises, {"retailer_id": retailer.id, "name": "Demo Hardware Retail Park"},
        address_line_1="Unit 4, Riverside Retail Park", town="Exampleton", postcode="EX2 4RP",
        jurisdiction=Jurisdiction.ENGLAND_WALES)
    password_hash = None
    people = [
        ("admin@example.com", "Alex Admin", Role.ADMIN, {}),
        ("officer@example.com", "Olu Officer", Role.OFFICER, {"agency_id": agency.id}),
        ("manager@example.com", "Sam Manager", Role.MANAGER, {"retailer_id": retailer.id}),
        ("staff@example.com", "Jo Staff", Role.STAFF,
         {"retailer_id": retailer.id, "premises_id": high_street.id}),
    ]
    people.append(("trainee@example.com", "Kim Trainee", Role.STAFF,
                   {"retailer_id": retailer.id, "premises_id": high_street.id}))
    for email, name, role, extra in people:
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            db.session.add(User(email=email, name=name, role=role, password_hash=password_hash,
                                **extra))
    db.session.flush()


def load_demo_training() -> None:
    """Jo Staff has read everything and passed; Kim Trainee is part way through the modules."""
    from compliance.audit import Actor
    from compliance.quiz import services as quiz
    from compliance.training import services as training
    from compliance.training.content import load_content

    load_content()
    actor = Actor(user=None, ip_address="demo")
    staff = db.session.scalar(select(User).where(User.email == "staff@example.com"))
    trainee = db.session.scalar(select(User).where(User.email == "trainee@example.com"))
    modules = training.current_modules(training.jurisdiction_for(staff))
    for module in modules:
        training.mark_read(staff, module, actor)
    for module in modules[:4]:
        training.mark_read(trainee, module, actor)
    if quiz.latest_completion(staff.id) is None:
        pass_quiz(staff, actor, seed=2026)


def pass_quiz(user: User, actor, seed: int) -> None:
    """Read every module and pass the quiz with every answer right, as a learner would."""
    import random

    from compliance.quiz import services as quiz
    from compliance.training import services as training

    for module in training.current_modules(training.jurisdiction_for(user)):
        training.mark_read(user, module, actor)
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data
    attempt = quiz.load_attempt(quiz.start_attempt(user, actor, rng).id, user)
    for answer in attempt.answers:
        quiz.save_answer(attempt, answer, [answer.option_order.index(i) for i in
                                           sorted(answer.question.correct_indexes)])
    quiz.submit_attempt(attempt, actor)


def load_demo_assessments() -> None:
    """High Street: a green self-assessment from 11 months ago, a red one from last week and a
    few weeks of refusals with sign-offs; Retail Park: a draft in progress."""
    from compliance.assessments.demo import load

    load()


def load_demo_visits() -> None:
    """A demo operation with a dozen visits, and a failed test purchase with a follow-up."""
    from compliance.visits.demo import load

    load()


def load_demo_verification() -> None:
    """A verified premises certificate, a suspended one and a self-assessment statement."""
    from compliance.verification.demo import load

    load()


def load_demo_certificates() -> None:
    """Staff certificates in every verify status: valid, expired and revoked."""
    from datetime import timedelta

    from compliance.audit import Actor
    from compliance.certificates import services as certificates
    from compliance.certificates.codes import new_code
    from compliance.certificates.pdf import CertificateData
    from compliance.certificates.status import TITLES
    from compliance.models import Certificate
    from compliance.models.base import utcnow
    from compliance.quiz.services import latest_completion
    from compliance.urls import verify_url

    if db.session.scalar(select(Certificate.id).limit(1)) is not None:
        return
    actor = Actor(user=None, ip_address="demo")
    staff = db.session.scalar(select(User).where(User.email == "staff@example.com"))
    trainee = db.session.scalar(select(User).where(User.email == "trainee@example.com"))
    certificates.issue_staff_certificate(latest_completion(staff.id), actor=actor,
                                         verify_url=verify_url,
                                         email_holder=False)
    premises = db.session.get_one(Premises, staff.premises_id)
    retailer = db.session.get_one(Retailer, premises.retailer_id)
    now = utcnow()
    issued = [
        ("staff", trainee.name, now - timedelta(days=400), now - timedelta(days=35), None),
        ("staff", trainee.name, now - timedelta(days=30), now + timedelta(days=335),
         "Issued in error before the quiz was passed"),
    ]
    for kind, holder, issued_at, expires_at, revoke in issued:
        code = new_code()
        data = CertificateData(
            code=code, kind=kind, holder_name=holder, business_name=retailer.name,
            title=TITLES[kind],
            premises_name=premises.name, premises_address=premises.address,
            issued_on=issued_at.strftime("%-d %B %Y"), expires_on=expires_at.strftime("%-d %B %Y"),
            verify_url=verify_url(code))
        cert = certificates.store_certificate(
            kind, data, retailer_id=retailer.id, premises_id=premises.id, actor=actor,
            holder_user_id=trainee.id if kind == "staff" else None, issued_at=issued_at,
            expires_at=expires_at, details={})
        if revoke:
            certificates.revoke(cert, revoke, actor)
