"""The manager's training matrix: one row per person, built in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import Integer, Row, Select, bindparam, func, select

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
    """A person's training, from plain rows: the person (a `Person`, or on the manager home a
    row of id, name and premises_id), their last attempt and their latest completion (a row
    of id, user_id, completed_at and expires_at)."""

    user: Person
    modules_read: int
    modules_required: int
    last_attempt: LastAttempt | None
    completion: Row | None

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


@dataclass(frozen=True)
class Person:
    """A person on the matrix: the columns it and its CSV show."""

    id: int
    name: str
    email: str
    role: Role
    active: bool
    premises_id: int | None
    premises_name: str | None
    jurisdiction: Jurisdiction | None


@dataclass(frozen=True)
class LastAttempt:
    user_id: int
    submitted_at: datetime
    score: int | None
    total: int
    passed: bool | None

    @property
    def percent(self) -> int | None:
        return None if self.score is None else round(100 * self.score / self.total)


# The matrix's statements are built once (`_statements`) with the business, the people and
# the page bound at each call: building them cost about as much as running them.
RETAILER = bindparam("matrix_retailer", type_=Integer())
# The page's business and the roles are in its SQL (and its count's) as literals
# (literal_execute), not parameters: once psycopg prepares a statement (its fifth run on a
# connection), PostgreSQL may keep a generic plan, which takes a business for the average few
# people and sorts them. For a chain that read and sorted all 2,000 of its people on every
# page (2 ms, against 0.2 ms for its own plan: a page of ix_users_retailer_people read in
# order), and the count compared each person's role with the parameters (0.55 ms, 0.22).
PAGE_RETAILER = bindparam("matrix_retailer", type_=Integer(), literal_execute=True)
ROLES = bindparam("matrix_roles", [Role.STAFF, Role.MANAGER], expanding=True,
                  literal_execute=True)
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
    def people(retailer):
        return (select(User.id, User.name, User.email, User.role, User.active,
                       User.premises_id, Premises.name, Premises.jurisdiction)
                .outerjoin(Premises, User.premises_id == Premises.id)
                .where(User.retailer_id == retailer, User.role.in_(ROLES)))
    in_order = (User.active.desc(), User.name, User.id)
    return {
        "count": select(func.count(User.id)).where(User.retailer_id == PAGE_RETAILER,
                                                   User.role.in_(ROLES)),
        "page": people(PAGE_RETAILER).order_by(*in_order).limit(LIMIT).offset(OFFSET),
        "everyone": people(RETAILER).order_by(*in_order),
        # Found by premises (a few people each): the business is checked on each row, as an
        # expression no index serves, or PostgreSQL's generic plan (which takes a business
        # for a few people, the average) walks all 2,000 of a chain's people in name order
        # (ix_users_retailer_people): 1.1 ms where this takes 0.3.
        "staff at": select(User.id, User.name, User.premises_id).where(
            User.premises_id.in_(PREMISES_IDS), func.coalesce(User.retailer_id, 0) == RETAILER,
            User.active, User.role == Role.STAFF).order_by(User.name, User.id),
        # The slugs and jurisdictions only: a module row carries its whole text.
        "modules": select(TrainingModule.slug, TrainingModule.jurisdictions)
        .where(TrainingModule.is_current),
        "first premises": select(Premises.jurisdiction).where(Premises.retailer_id == RETAILER)
        .order_by(Premises.id).limit(1),
        "reads": select(ModuleRead.user_id, ModuleRead.module_slug)
        .where(ModuleRead.user_id.in_(PEOPLE)),
        "attempts": _latest(QuizAttempt, QuizAttempt.submitted_at).with_only_columns(
            QuizAttempt.user_id, QuizAttempt.submitted_at, QuizAttempt.score,
            QuizAttempt.total, QuizAttempt.passed),
        "completions": _latest(TrainingCompletion, TrainingCompletion.completed_at)
        .with_only_columns(TrainingCompletion.id, TrainingCompletion.user_id,
                           TrainingCompletion.completed_at, TrainingCompletion.expires_at),
    }


def matrix_page(retailer_id: int, page: int, per_page: int) -> Page:
    """A page of the matrix (people by active, then name): six queries for any size."""
    statements = _statements()
    total = db.session.scalar(statements["count"], {"matrix_retailer": retailer_id})
    people = [Person(*row) for row in db.session.execute(statements["page"], {
        "matrix_retailer": retailer_id, "matrix_limit": per_page,
        "matrix_offset": offset(page, per_page)})]
    return Page(_rows(retailer_id, people), page, per_page, total or 0)


def training_matrix(retailer_id: int) -> list[MatrixRow]:
    """Everyone's row (the CSV download)."""
    people = [Person(*row) for row in db.session.execute(_statements()["everyone"],
                                                         {"matrix_retailer": retailer_id})]
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
    completions = {c.user_id: c for c in db.session.execute(statements["completions"], ids)}
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


def _rows(retailer_id: int, people: list[Person]) -> list[MatrixRow]:
    statements = _statements()
    ids = {"matrix_people": [u.id for u in people]}
    modules = db.session.execute(statements["modules"]).all()
    # Only people with no premises of their own need the business's first premises.
    first_premises = None if all(u.premises_id for u in people) else db.session.scalar(
        statements["first premises"], {"matrix_retailer": retailer_id})
    reads: dict[int, set[str]] = {}
    for user_id, slug in db.session.execute(statements["reads"], ids):
        reads.setdefault(user_id, set()).add(slug)
    last_attempts = {a.user_id: LastAttempt(*a)
                     for a in db.session.execute(statements["attempts"], ids)}
    completions = {c.user_id: c for c in db.session.execute(statements["completions"], ids)}
    required_in = _required_modules(modules)
    rows = []
    for user in people:
        jurisdiction = user.jurisdiction or first_premises or Jurisdiction.ENGLAND_WALES
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
        r.user.premises_name or "",
        "yes" if r.user.active else "no", r.modules_read, r.modules_required,
        _date(attempt.submitted_at) if attempt else "",
        attempt.percent if attempt else "",
        ("yes" if attempt.passed else "no") if attempt else "",
        _date(r.completion.completed_at) if r.completion else "",
        _date(r.completion.expires_at) if r.completion else "", r.status]
