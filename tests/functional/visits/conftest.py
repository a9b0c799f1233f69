"""The cast for visit journeys: an officer, a shop with its manager, the real checklist."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from compliance.extensions import db
from compliance.models import ChecklistItem, Role
from compliance.training.content import load_content
from tests.factories import AgencyFactory, PremisesFactory, RetailerFactory, UserFactory
from tests.visit_factories import OfficerFactory


@pytest.fixture
def checklist(app) -> list[ChecklistItem]:
    load_content()
    return list(db.session.scalars(select(ChecklistItem).where(ChecklistItem.is_current)
                                   .order_by(ChecklistItem.group_position,
                                             ChecklistItem.number)))


@pytest.fixture
def cast():
    retailer = RetailerFactory(name="Alpha Tools Ltd")
    shop = PremisesFactory(retailer=retailer, name="Alpha High Street", postcode="AB1 2CD")
    agency = AgencyFactory(name="Testshire Police")
    return {
        "shop": shop,
        "manager": UserFactory(role=Role.MANAGER, retailer=retailer, name="Mo Manager"),
        "officer": OfficerFactory(agency=agency, name="Olu Officer"),
        "colleague": OfficerFactory(agency=agency, name="Cat Colleague"),
        "stranger": OfficerFactory(name="Sid Stranger"),  # another agency
        "admin": UserFactory(role=Role.ADMIN),
        "other_manager": UserFactory(role=Role.MANAGER, retailer=RetailerFactory()),
    }
