"""Fixtures for the self-assessment route tests: the real checklist and a shop's people."""

import pytest

from compliance.models import Role
from compliance.training.content import load_content
from tests.factories import AgencyFactory, PremisesFactory, UserFactory


@pytest.fixture
def content(app):
    load_content()


@pytest.fixture
def shop(content):
    premises = PremisesFactory()
    retailer = premises.retailer
    return {
        "premises": premises,
        "manager": UserFactory(role=Role.MANAGER, retailer=retailer, name="Mo Manager"),
        "deputy": UserFactory(role=Role.MANAGER, retailer=retailer, name="Dee Deputy"),
        "staff": UserFactory(role=Role.STAFF, retailer=retailer, premises=premises),
        "officer": UserFactory(role=Role.OFFICER, agency=AgencyFactory()),
        "stranger": UserFactory(role=Role.MANAGER, retailer=PremisesFactory().retailer),
    }
