"""The key pages the benchmarks request, each with the demo account that sees its worst case.

Ids come from the seeded database: the demo officer's agency looks after a tenth of all
premises, the largest operation is a national week, the demo manager's business is one of the
largest chains, and the learner is part way through a quiz.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from compliance.extensions import db
from compliance.models import Certificate, Export, Operation, Premises, QuizAttempt, User, Visit
from compliance.seeding import LEARNER_EMAIL

OFFICER = "officer@example.com"
MANAGER = "manager@example.com"
STAFF = "staff@example.com"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    user: str | None  # None: anonymous


def prepared_csv(operation_id: int, email: str) -> int:
    """The officer's CSV of the operation, built once by the export job and reused by later
    runs while its file is there."""
    from compliance.exports import services as exports
    from compliance.operations.prepared import REPORT_CSV

    officer = db.session.scalar(select(User).where(User.email == email))
    params = {"operation_id": operation_id, "area": None, "notes": False}
    for export in db.session.scalars(select(Export).where(
            Export.requested_by_id == officer.id, Export.kind == REPORT_CSV.name,
            Export.ready_at.is_not(None)).order_by(Export.id.desc())):
        path = exports.path_of(export)
        if export.params == params and path is not None and path.is_file() \
                and exports.gzip_path_of(export) is not None:  # built with its gzipped copy
            return export.id
    export = Export(kind=REPORT_CSV.name, params=params, requested_by_id=officer.id)
    db.session.add(export)
    db.session.flush()
    exports.build(export.id)
    db.session.commit()
    return export.id


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
        Page("officer home", "/", OFFICER),
        Page("officer dashboard", "/visits/", OFFICER),
        Page("priority list", "/visits/priorities", OFFICER),
        Page("operation report", f"/visits/operations/{operation}/report", OFFICER),
        # A job writes the CSV (operations/prepared.py); the page is its download.
        Page("operation CSV", f"/exports/{prepared_csv(operation, OFFICER)}/download", OFFICER),
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
