import re
from datetime import timedelta

from sqlalchemy import select

from compliance.extensions import db
from compliance.models import AuditEvent, Invitation, Jurisdiction, Premises, Retailer, Role, User
from compliance.models.base import utcnow
from tests.factories import TEST_PASSWORD, PremisesFactory, RetailerFactory, UserFactory

REGISTRATION = {
    "business_name": "Sharp & Co Ltd", "contact_name": "Priya Shah",
    "email": "priya@sharp.example.com", "premises_name": "Sharp & Co Market Street",
    "address_line_1": "12 Market Street", "address_line_2": "", "town": "Leeds",
    "postcode": "ls1 6dt", "jurisdiction": "england-wales",
    "password": "chisels and planes forever", "confirm": "chisels and planes forever",
}


def test_shop_owner_registers_and_becomes_manager(client):
    response = client.post("/businesses/register", data=REGISTRATION, follow_redirects=True)
    assert "Your business is registered" in response.text
    manager = db.session.scalar(select(User).where(User.email == "priya@sharp.example.com"))
    assert manager.role == Role.MANAGER
    retailer = db.session.get(Retailer, manager.retailer_id)
    premises = db.session.scalars(select(Premises).where(Premises.retailer_id == retailer.id)).all()
    assert retailer.name == "Sharp & Co Ltd"
    assert [(p.name, p.postcode, p.jurisdiction) for p in premises] == [
        ("Sharp & Co Market Street", "LS1 6DT", Jurisdiction.ENGLAND_WALES)]
    assert "Sharp &amp; Co Market Street" in response.text


def test_registration_errors_are_explained_and_nothing_typed_is_lost(client):
    bad = REGISTRATION | {"postcode": "ABC 123", "password": "password12345",
                          "confirm": "password12345", "jurisdiction": ""}
    response = client.post("/businesses/register", data=bad)
    assert response.status_code == 200
    for message in ("Enter a real postcode, like SW1A 1AA", "Password is too common",
                    "Select where the shop is"):
        assert message in response.text
    assert 'value="Sharp &amp; Co Ltd"' in response.text
    assert 'value="12 Market Street"' in response.text
    assert db.session.scalar(select(Retailer).where(Retailer.name == "Sharp & Co Ltd")) is None


def test_registering_with_a_taken_email_is_refused(client):
    UserFactory(email="priya@sharp.example.com")
    response = client.post("/businesses/register", data=REGISTRATION)
    assert "An account already uses this email address" in response.text


def test_manager_adds_and_edits_premises(client, login_as):
    manager = login_as(UserFactory(role=Role.MANAGER, retailer=RetailerFactory()))
    url = f"/businesses/{manager.retailer_id}/premises/new"
    response = client.post(url, data={
        "premises_name": "Glasgow branch", "address_line_1": "1 Buchanan Street",
        "town": "Glasgow", "postcode": "G1 3HL", "jurisdiction": "scotland"},
        follow_redirects=True)
    assert "Premises Glasgow branch added" in response.text
    premises = db.session.scalar(select(Premises).where(Premises.name == "Glasgow branch"))
    assert premises.jurisdiction == Jurisdiction.SCOTLAND
    edit = f"/businesses/{manager.retailer_id}/premises/{premises.id}/edit"
    assert 'value="1 Buchanan Street"' in client.get(edit).text
    client.post(edit, data={"premises_name": "Glasgow Central", "address_line_1": "1 Buchanan St",
                            "town": "Glasgow", "postcode": "G13HL", "jurisdiction": "scotland"})
    db.session.refresh(premises)
    assert (premises.name, premises.postcode) == ("Glasgow Central", "G1 3HL")


def invite(client, retailer_id, premises_id, email="new.starter@example.com"):
    return client.post(f"/businesses/{retailer_id}/staff/invite", data={
        "name": "New Starter", "email": email, "premises": premises_id}, follow_redirects=True)


def test_invited_staff_member_joins_with_a_single_use_link(client, login_as, outbox):
    premises = PremisesFactory()
    login_as(UserFactory(role=Role.MANAGER, retailer=premises.retailer))
    assert "Invitation sent to new.starter@example.com" in invite(
        client, premises.retailer_id, premises.id).text
    link = re.search(r"https://portal\.example\.org(/auth/invitation/\S+)",
                         outbox[-1].body).group(1)
    client.post("/auth/sign-out")
    page = client.get(link)
    assert "Create your account" in page.text and premises.retailer.name in page.text
    response = client.post(link, data={"password": "whittling spoons daily",
                                       "confirm": "whittling spoons daily"},
                           follow_redirects=True)
    assert "Your account has been created" in response.text
    staff = db.session.scalar(select(User).where(User.email == "new.starter@example.com"))
    assert (staff.role, staff.retailer_id, staff.premises_id) == (
        Role.STAFF, premises.retailer_id, premises.id)
    client.post("/auth/sign-out")
    assert client.get(link).status_code == 404


def test_invitation_link_expires_after_seven_days(client, login_as, outbox):
    premises = PremisesFactory()
    login_as(UserFactory(role=Role.MANAGER, retailer=premises.retailer))
    invite(client, premises.retailer_id, premises.id)
    invitation = db.session.scalar(select(Invitation))
    assert timedelta(days=6, hours=23) < invitation.expires_at - utcnow() <= timedelta(days=7)
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()
    link = re.search(r"https://portal\.example\.org(/auth/invitation/\S+)",
                         outbox[-1].body).group(1)
    client.post("/auth/sign-out")
    response = client.get(link)
    assert response.status_code == 404 and "expire after 7 days" in response.text


def test_inviting_an_existing_account_or_twice_is_explained(client, login_as):
    premises = PremisesFactory()
    login_as(UserFactory(role=Role.MANAGER, retailer=premises.retailer))
    UserFactory(email="taken@example.com", role=Role.MANAGER)  # staff could be invited
    assert "An account already uses this email address" in invite(
        client, premises.retailer_id, premises.id, "taken@example.com").text
    invite(client, premises.retailer_id, premises.id)
    assert "already has an invitation" in invite(client, premises.retailer_id, premises.id).text


def test_manager_cannot_invite_to_another_business_premises(client, login_as):
    mine = PremisesFactory()
    theirs = PremisesFactory()
    login_as(UserFactory(role=Role.MANAGER, retailer=mine.retailer))
    response = invite(client, mine.retailer_id, theirs.id)
    assert "Not a valid choice" in response.text
    assert db.session.scalar(select(Invitation)) is None


def test_manager_deactivates_a_leaver_whose_records_stay(client, login_as):
    premises = PremisesFactory()
    login_as(UserFactory(role=Role.MANAGER, retailer=premises.retailer))
    staff = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
    url = f"/businesses/{premises.retailer_id}/people/{staff.id}/status"
    assert "Deactivate" in client.get(url).text
    response = client.post(url, follow_redirects=True)
    assert "has been deactivated" in response.text
    db.session.refresh(staff)
    assert staff.active is False and staff.deactivated_at is not None
    assert db.session.get(User, staff.id) is not None
    client.post("/auth/sign-out")
    refused = client.post("/auth/sign-in", data={"email": staff.email, "password": TEST_PASSWORD})
    assert "Enter a correct email address and password" in refused.text
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "account_deactivated", AuditEvent.target_id == staff.id))


def test_manager_withdraws_an_invitation(client, login_as, outbox):
    premises = PremisesFactory()
    login_as(UserFactory(role=Role.MANAGER, retailer=premises.retailer))
    invite(client, premises.retailer_id, premises.id)
    invitation = db.session.scalar(select(Invitation))
    client.post(f"/businesses/{premises.retailer_id}/invitations/{invitation.id}/revoke")
    db.session.refresh(invitation)
    assert invitation.revoked_at is not None
    link = re.search(r"https://portal\.example\.org(/auth/invitation/\S+)",
                         outbox[-1].body).group(1)
    client.post("/auth/sign-out")
    assert client.get(link).status_code == 404


def test_officer_searches_businesses_by_postcode(client, login_as, people):
    login_as(people["officer"])
    PremisesFactory(retailer=RetailerFactory(name="Gamma Cutlers"), postcode="ZZ9 9ZZ")
    response = client.get("/businesses/", query_string={"q": "zz9"})
    assert "Gamma Cutlers" in response.text and "Alpha Tools" not in response.text
    assert "1 business" in response.text


def test_radio_questions_keep_their_legend(client):
    """A GOV.UK radios fieldset needs a legend, or screen readers lose the question."""
    page = client.get("/businesses/register")
    assert re.search(r"<legend[^>]*>\s*Where is the shop\?\s*</legend>", page.text)
