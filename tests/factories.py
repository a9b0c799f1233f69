"""factory_boy factories bound to the Flask-SQLAlchemy session (flush, never commit)."""

from __future__ import annotations

from datetime import date

import factory
from argon2 import PasswordHasher
from factory.alchemy import SQLAlchemyModelFactory

from compliance.extensions import db
from compliance.models import (
    Agency,
    AgencyKind,
    ChecklistItem,
    Jurisdiction,
    Premises,
    Question,
    Refusal,
    Retailer,
    Role,
    TrainingModule,
    User,
)
from compliance.models.base import utcnow

TEST_PASSWORD = "correct horse battery staple"
# Cheap parameters: the hash records them, so verification works with any app setting.
TEST_PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(TEST_PASSWORD)


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class AgencyFactory(Base):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Test Constabulary {n}")
    kind = AgencyKind.POLICE


class RetailerFactory(Base):
    class Meta:
        model = Retailer

    name = factory.Sequence(lambda n: f"Retailer {n} Ltd")
    contact_name = "Pat Owner"
    contact_email = factory.Sequence(lambda n: f"owner{n}@retailer.example.com")


class PremisesFactory(Base):
    class Meta:
        model = Premises

    retailer = factory.SubFactory(RetailerFactory)
    name = factory.Sequence(lambda n: f"Shop {n}")
    address_line_1 = factory.Sequence(lambda n: f"{n} Market Street")
    town = "Testbury"
    postcode = "TE1 1ST"
    jurisdiction = Jurisdiction.ENGLAND_WALES


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"Test User {n}")
    role = Role.STAFF
    password_hash = TEST_PASSWORD_HASH


class TrainingModuleFactory(Base):
    class Meta:
        model = TrainingModule

    slug = factory.Sequence(lambda n: f"module-{n}")
    version = 1
    is_current = True
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Module {n}")
    summary = "What this module covers."
    body_markdown = "## Heading\n\nA fact [S6].\n"
    reading_minutes = 5
    jurisdictions = ["england-wales", "scotland", "northern-ireland"]
    jurisdiction_notes = {}
    source_tags = ["S6"]
    last_reviewed = date(2026, 11, 25)
    content_hash = factory.Sequence(lambda n: f"{n:064d}")


class QuestionFactory(Base):
    class Meta:
        model = Question

    key = factory.Sequence(lambda n: f"t-{n:03d}")
    version = 1
    is_current = True
    module_slug = "module-0"
    jurisdictions = ["england-wales", "scotland", "northern-ireland"]
    kind = "single"
    text = factory.Sequence(lambda n: f"Question {n}?")
    options = [{"text": "Right", "correct": True, "feedback": "Yes"},
               {"text": "Wrong", "correct": False, "feedback": "No"},
               {"text": "Also wrong", "correct": False, "feedback": "No"}]
    explanation = "Because."
    source_tags = ["S6"]
    content_hash = factory.Sequence(lambda n: f"q{n:063d}")


class ChecklistItemFactory(Base):
    class Meta:
        model = ChecklistItem

    key = factory.Sequence(lambda n: f"check-{n}")
    version = 1
    is_current = True
    number = factory.Sequence(lambda n: n + 1)
    group_key = "test-group"
    group_title = "Test group"
    group_position = 1
    question = factory.Sequence(lambda n: f"Is check {n} in place?")
    officer_check = "The officer looks for it."
    why = "It is part of due diligence."
    how_to_fix = "Put it in place."
    weight = "high"
    applicability = "always"
    source_tags = ["S5"]
    automatic = None
    # As in the content files: only law in force may be critical.
    basis = factory.LazyAttribute(lambda o: "law" if o.weight == "critical" else "good_practice")
    content_hash = factory.Sequence(lambda n: f"c{n:063d}")


class RefusalFactory(Base):
    """Pass premises and recorded_by; the refuser defaults to whoever recorded it."""

    class Meta:
        model = Refusal

    occurred_at = factory.LazyFunction(utcnow)
    product = "Kitchen knife"
    reason = "no_id"
    refused_by_id = factory.LazyAttribute(lambda o: o.recorded_by.id)
    refused_by_name = factory.LazyAttribute(lambda o: o.recorded_by.name)
