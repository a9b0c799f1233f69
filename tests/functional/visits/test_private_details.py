"""Officer-only notes and volunteer details: the recording agency and admins only. Officers of
another agency still read the visit itself."""

import pytest

from compliance.extensions import db
from compliance.models import Role, VisitChange
from tests.factories import AgencyFactory, UserFactory
from tests.visit_factories import OfficerFactory, PurchaseFactory

NOTES = "Owner seemed unsure about the law."


@pytest.fixture
def visit():
    purchase = PurchaseFactory(volunteer_age=16)
    visit = purchase.visit
    visit.officer_notes = NOTES
    db.session.add(VisitChange(visit_id=visit.id, changed_by_id=visit.officer_id,
                               reason="Typo", changes={
                                   "officer_notes": {"from": "Old private note", "to": NOTES},
                                   "test purchase volunteer age": {"from": 17, "to": 16},
                                   "advice_given": {"from": "", "to": "Challenge 25"}}))
    db.session.flush()
    return visit


def _page(client, login_as, user, visit):
    login_as(user)
    response = client.get(f"/visits/{visit.id}")
    assert response.status_code == 200
    return response.text


def test_another_agency_reads_the_visit_without_private_details(client, login_as, visit):
    text = _page(client, login_as, OfficerFactory(agency=AgencyFactory()), visit)
    assert "Test purchase" in text and "Challenge 25" in text  # the visit itself
    for private in (NOTES, "Old private note", "Officer-only notes", "Volunteer"):
        assert private not in text


@pytest.mark.parametrize("who", ["same_agency", "recorder", "admin"])
def test_the_recording_agency_and_admins_see_private_details(client, login_as, visit, who):
    user = {"same_agency": lambda: OfficerFactory(agency=visit.officer.agency),
            "recorder": lambda: visit.officer,
            "admin": lambda: UserFactory(role=Role.ADMIN)}[who]()
    text = _page(client, login_as, user, visit)
    assert NOTES in text and "Old private note" in text and "Volunteer" in text
