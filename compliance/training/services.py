"""Training rules: which modules a person must read, and their progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Jurisdiction, ModuleRead, Premises, Source, TrainingModule, User


class ModuleNotFound(Exception):
    pass


def jurisdiction_for(user: User) -> Jurisdiction:
    """The rules a person sees: their premises', else their business's first premises'."""
    if user.premises_id:
        premises = db.session.get(Premises, user.premises_id)
        if premises is not None:
            return premises.jurisdiction
    if user.retailer_id:
        first = db.session.scalar(select(Premises.jurisdiction).where(
            Premises.retailer_id == user.retailer_id).order_by(Premises.id).limit(1))
        if first is not None:
            return first
    return Jurisdiction.ENGLAND_WALES


def current_modules(jurisdiction: Jurisdiction) -> list[TrainingModule]:
    modules = db.session.scalars(select(TrainingModule).where(TrainingModule.is_current)
                                 .order_by(TrainingModule.position))
    return [m for m in modules if jurisdiction.value in m.jurisdictions]


def read_slugs(user_id: int) -> set[str]:
    return set(db.session.scalars(select(ModuleRead.module_slug)
                                  .where(ModuleRead.user_id == user_id)))


@dataclass(frozen=True)
class Progress:
    modules: list[TrainingModule]
    read: set[str]

    @property
    def all_read(self) -> bool:
        return bool(self.modules) and all(m.slug in self.read for m in self.modules)

    @property
    def read_count(self) -> int:
        return sum(m.slug in self.read for m in self.modules)


def progress(user: User) -> Progress:
    return Progress(current_modules(jurisdiction_for(user)), read_slugs(user.id))


def get_module(slug: str, jurisdiction: Jurisdiction) -> TrainingModule:
    module = db.session.scalar(select(TrainingModule).where(
        TrainingModule.slug == slug, TrainingModule.is_current))
    if module is None or jurisdiction.value not in module.jurisdictions:
        raise ModuleNotFound
    return module


def sources_for(tags: list[str]) -> list[Source]:
    found = {s.tag: s for s in db.session.scalars(select(Source).where(Source.tag.in_(tags)))}
    return [found[t] for t in tags if t in found]


def mark_read(user: User, module: TrainingModule, actor: Actor) -> None:
    """Record that the user reached the end and confirmed (once per module)."""
    existing = db.session.scalar(select(ModuleRead).where(
        ModuleRead.user_id == user.id, ModuleRead.module_slug == module.slug))
    if existing is None:
        db.session.add(ModuleRead(user_id=user.id, module_slug=module.slug, module_id=module.id))
        audit.record(actor, "module_read", f"Read module {module.slug} v{module.version}",
                     target=module)
    db.session.flush()


def next_unread(progress: Progress, after: TrainingModule) -> TrainingModule | None:
    later = [m for m in progress.modules if m.position > after.position]
    earlier = [m for m in progress.modules if m.position < after.position]
    return next((m for m in later + earlier if m.slug not in progress.read), None)


@dataclass(frozen=True)
class ModuleReview:
    """When a current module was last checked against the reference, by whom, and when next."""

    module: TrainingModule
    due: date
    overdue: bool


def module_reviews(today: date, interval_days: int) -> list[ModuleReview]:
    """Every current module with its review due date, overdue ones first."""
    modules = db.session.scalars(select(TrainingModule).where(TrainingModule.is_current)
                                 .order_by(TrainingModule.position))
    reviews = [ModuleReview(m, due, due < today) for m in modules
               for due in [m.last_reviewed + timedelta(days=interval_days)]]
    return sorted(reviews, key=lambda r: (not r.overdue, r.due, r.module.position))
