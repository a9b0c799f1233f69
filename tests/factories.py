"""factory_boy factories bound to the Flask-SQLAlchemy session (flush, never commit)."""

from __future__ import annotations

import factory
from argon2 import PasswordHasher
from factory.alchemy import SQLAlchemyModelFactory

from compliance.extensions import db
from compliance.models import Agency, AgencyKind, Jurisdiction, Premises, Retailer, Role, User

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
