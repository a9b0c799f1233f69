"""The manager's training matrix: one row per person, built in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import selectinload

from compliance.csv_export import csv_text
from compliance.extensions import db
from compliance.models import (
    Jurisdiction,
    ModuleRead,
    Premises,
    QuizAttempt,
    Role,
    TrainingCompletion,
    TrainingModule,
    User,
)
from compliance.models.base import utcnow
from compliance.paging import Page, offset


@dataclass(frozen=True)
class MatrixRow:
    """A person's training. On the manager home (`premises_matrix`), `user` and `completion`
    are plain rows of the columns the to-dos use, not whole models."""

    user: User
    modules_read: int
    modules_required: int
    last_attempt: QuizAttempt | None
    completion: TrainingCompletion | None

    @property
    def current(self) -> bool:
        return self.completion is not None and self.completion.expires_at > utcnow()

    @property
    def expiring_soon(self) -> bool:
        days = int(current_app.config["TRAINING_EXPIRY_WARNING_DAYS"])
        return self.current and self.completion.expires_at <= utcnow() + timedelta(days=days)

    @property
    def status(self) -> str:
        if self.current:
            return "Expires soon" if self.expiring_soon else "Trained"
        if self.completion is not None:
            return "Expired"
        return "Not trained"


# The matrix's statements are built once (`_statements`) with the business, the people and
# the page bound at each call: building them cost about as much as running them.
RETAILER = bindparam("matrix_retailer", type_=Integer())
PEOPLE = bindparam("matrix_people", expanding=True, type_=Integer())
PREMISES_IDS = bindparam("matrix_premises", expanding=True, type_=Integer())
LIMIT = bindparam("matrix_limit", type_=Integer())
OFFSET = bindparam("matrix_offset", type_=Integer())


def _latest(model, when):
    """The newest row per person among PEOPLE, in one query."""
    newest = (select(model.user_id, func.max(when).label("at")).where(
        model.user_id.in_(PEOPLE), when.is_not(None)).group_by(model.user_id).subquery())
    return select(model).join(newest, (model.user_id == newest.c.user_id)
                              & (when == newest.c.at))


@lru_cache(maxsize=1)
def _statements() -> dict[str, Select]:
    people = select(User).where(User.retailer_id == RETAILER,
                                User.role.in_([Role.STAFF, Role.MANAGER]))
    in_order = (User.active.desc(), User.name, User.id)
    return {
        "count": people.with_only_columns(func.count(User.id)),
        "page": people.options(selectinload(User.premises)).order_by(*in_order)
        .limit(LIMIT).offset(OFFSET),
        "everyone": people.options(selectinload(User.premises)).order_by(*in_order),
        "staff at": select(User.id, User.name, User.premises_id).where(
            User.retailer_id == RETAILER, User.premises_id.in_(PREMISES_IDS), User.active,
            User.role == Role.STAFF).order_by(User.name, User.id),
        # The slugs and jurisdictions only: a module row carries its whole text.
        "modules": select(TrainingModule.slug, TrainingModule.jurisdictions)
        .where(TrainingModule.is_current),
        "first premises": select(Premises.jurisdiction).where(Premises.retailer_id == RETAILER)
        .order_by(Premises.id).limit(1),
        "reads": select(ModuleRead.user_id, ModuleRead.module_slug)
        .where(ModuleRead.user_id.in_(PEOPLE)),
        "attempts": _latest(QuizAttempt, QuizAttempt.submitted_at),
        "completions": _latest(TrainingCompletion, TrainingCompletion.completed_at),
        "completion rows": _latest(TrainingCompletion, TrainingCompletion.completed_at)
        .with_only_columns(TrainingCompletion.id, TrainingCompletion.user_id,
                           TrainingCompletion.completed_at, TrainingCompletion.expires_at),
    }


def matrix_page(retailer_id: int, page: int, per_page: int) -> Page:
    """A page of the matrix (people by active, then name): six queries for any size."""
    statements = _statements()
    total = db.session.scalar(statements["count"], {"matrix_retailer": retailer_id})
    people = list(db.session.scalars(statements["page"], {
        "matrix_retailer": retailer_id, "matrix_limit": per_page,
        "matrix_offset": offset(page, per_page)}))
    return Page(_rows(retailer_id, people), page, per_page, total or 0)


def training_matrix(retailer_id: int) -> list[MatrixRow]:
    """Everyone's row (the CSV download)."""
    people = list(db.session.scalars(_statements()["everyone"],
                                     {"matrix_retailer": retailer_id}))
    return _rows(retailer_id, people)


def premises_matrix(retailer_id: int, premises: list[Premises]) -> list[MatrixRow]:
    """The rows of the active staff working at these premises (a home page's page of
    premises): plain rows of the person (id, name, premises_id) and of their latest
    completion (id, completed_at, expires_at), without last attempts; each person's modules
    are those of their premises' jurisdiction (the caller has loaded the premises)."""
    statements = _statements()
    people = db.session.execute(statements["staff at"], {
        "matrix_retailer": retailer_id, "matrix_premises": [p.id for p in premises]}).all()
    ids = {"matrix_people": [u.id for u in people]}
    required_in = _required_modules(db.session.execute(statements["modules"]).all())
    reads: dict[int, set[str]] = {}
    for user_id, slug in db.session.execute(statements["reads"], ids):
        reads.setdefault(user_id, set()).add(slug)
    completions = {c.user_id: c for c in db.session.execute(statements["completion rows"],
                                                            ids)}
    jurisdiction = {p.id: p.jurisdiction for p in premises}
    rows = []
    for user in people:
        required = required_in[jurisdiction[user.premises_id]]
        rows.append(MatrixRow(user, len(required & reads.get(user.id, set())), len(required),
                              None, completions.get(user.id)))
    return rows


def _required_modules(modules) -> dict[Jurisdiction, set[str]]:
    """The current modules' slugs each jurisdiction requires."""
    return {j: {m.slug for m in modules if j.value in m.jurisdictions} for j in Jurisdiction}


def _rows(retailer_id: int, people: list[User], attempts: bool = True) -> list[MatrixRow]:
    statements = _statements()
    ids = {"matrix_people": [u.id for u in people]}
    modules = db.session.execute(statements["modules"]).all()
    # Only people with no premises of their own need the business's first premises.
    first_premises = None if all(u.premises for u in people) else db.session.scalar(
        statements["first premises"], {"matrix_retailer": retailer_id})
    reads: dict[int, set[str]] = {}
    for user_id, slug in db.session.execute(statements["reads"], ids):
        reads.setdefault(user_id, set()).add(slug)
    last_attempts = ({a.user_id: a for a in db.session.scalars(statements["attempts"], ids)}
                     if attempts else {})
    completions = {c.user_id: c for c in db.session.scalars(statements["completions"], ids)}
    required_in = _required_modules(modules)
    rows = []
    for user in people:
        jurisdiction = (user.premises.jurisdiction if user.premises else first_premises
                        or Jurisdiction.ENGLAND_WALES)
        required = required_in[jurisdiction]
        rows.append(MatrixRow(user, len(required & reads.get(user.id, set())), len(required),
                              last_attempts.get(user.id), completions.get(user.id)))
    return rows


def _date(value: datetime | None) -> str:
    return value.date().isoformat() if value else ""


MATRIX_CSV_HEADER = ["Name", "Email", "Role", "Premises", "Active", "Modules read",
                     "Modules required", "Last attempt", "Last score %",
                     "Last attempt passed", "Completed", "Expires", "Status"]


def matrix_csv(rows: list[MatrixRow]) -> str:
    return csv_text(MATRIX_CSV_HEADER, (_matrix_row(r) for r in rows))


def _matrix_row(r: MatrixRow) -> list:
    attempt = r.last_attempt
    return [
        r.user.name, r.user.email, r.user.role.label,
        r.user.premises.name if r.user.premises else "",
        "yes" if r.user.active else "no", r.modules_read, r.modules_required,
        _date(attempt.submitted_at) if attempt else "",
        attempt.percent if attempt else "",
        ("yes" if attempt.passed else "no") if attempt else "",
        _date(r.completion.completed_at) if r.completion else "",
        _date(r.completion.expires_at) if r.completion else "", r.status]
