"""The key pages the benchmarks request, each with the demo account that sees its worst case.

Ids come from the seeded database: the demo officer's agency looks after a tenth of all
premises, the largest operation is a national week, the demo manager's business is one of the
largest chains, and the learner is part way through a quiz.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from compliance.extensions import db
from compliance.models import Certificate, Operation, Premises, QuizAttempt, User, Visit
from compliance.seeding import LEARNER_EMAIL

OFFICER = "officer@example.com"
MANAGER = "manager@example.com"
STAFF = "staff@example.com"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    user: str | None  # None: anonymous


def key_pages() -> list[Page]:
    """Needs an app context on the seeded database."""
    high_street = db.session.scalar(select(Premises.id).where(
        Premises.name == "Demo Hardware High Street"))
    operation = db.session.scalar(
        select(Operation.id).join(Visit, Visit.operation_id == Operation.id)
        .group_by(Operation.id).order_by(func.count(Visit.id).desc()).limit(1))
    learner = db.session.scalar(select(User.id).where(User.email == LEARNER_EMAIL))
    attempt = db.session.scalar(select(QuizAttempt.id).where(
        QuizAttempt.user_id == learner, QuizAttempt.submitted_at.is_(None)))
    staff = db.session.scalar(select(User.id).where(User.email == STAFF))
    own = db.session.scalar(select(Certificate.code).where(
        Certificate.holder_user_id == staff, Certificate.revoked_at.is_(None))
        .order_by(Certificate.id.desc()).limit(1))
    premises_cert = db.session.scalar(select(Certificate.code).where(
        Certificate.kind == "premises").order_by(Certificate.id).limit(1))
    return [
        Page("officer dashboard", "/visits/", OFFICER),
        Page("priority list", "/visits/priorities", OFFICER),
        Page("operation report", f"/visits/operations/{operation}/report", OFFICER),
        Page("operation CSV", f"/visits/operations/{operation}/report.csv", OFFICER),
        Page("visit form", f"/visits/new?premises={high_street}", OFFICER),
        Page("visit list", "/visits/list", OFFICER),
        Page("visit search", "/visits/list?q=branch", OFFICER),
        Page("shop visits", "/visits/shop", MANAGER),
        Page("manager home", "/", MANAGER),
        Page("training matrix", "/training/matrix", MANAGER),
        Page("refusals register", f"/premises/{high_street}/refusals/", MANAGER),
        Page("self-assessment page", f"/premises/{high_street}/assessments/", MANAGER),
        Page("quiz question", f"/training/quiz/{attempt}/1", LEARNER_EMAIL),
        Page("verify page", f"/verify/{premises_cert}", None),
        Page("verify JSON", f"/verify/{premises_cert}.json", None),
        Page("certificate download", f"/certificates/{own}.pdf", STAFF),
    ]
