"""A member of staff with an account is invited to work for a second business as well."""

import re

import pytest
from sqlalchemy import select

from compliance.extensions import db
from compliance.models import AuditEvent, Membership, Role
from tests.factories import PremisesFactory, UserFactory
from tests.functional.business.test_routes import invite

LINK = r"https://portal\.example\.org(/auth/invitation/\S+)"


@pytest.fixture
def two_shops():
    first = PremisesFactory(name="First Street")
    second = PremisesFactory(name="Second Avenue")
    staff = UserFactory(role=Role.STAFF, retailer=first.retailer, premises=first,
                        email="sam@example.com", name="Sam Staff")
    manager = UserFactory(role=Role.MANAGER, retailer=second.retailer)
    return first, second, staff, manager


def _invite_existing(client, login_as, outbox, second, manager) -> str:
    login_as(manager)
    assert "Invitation sent to sam@example.com" in invite(
        client, second.retailer_id, second.id, "sam@example.com").text
    email = outbox[-1]
    assert "Sign in with your existing account (sam@example.com)" in email.body
    assert "Create your account" not in email.body
    return re.search(LINK, email.body).group(1)


def test_existing_staff_account_joins_a_second_business(client, login_as, outbox, two_shops):
    first, second, staff, manager = two_shops
    link = _invite_existing(client, login_as, outbox, second, manager)
    client.post("/auth/sign-out")
    page = client.get(link)
    assert "Sign in to accept this invitation" in page.text
    assert "/auth/sign-in?next=/auth/invitation/" in page.text
    login_as(staff)
    page = client.get(link)
    assert f"Work for {second.retailer.name} as well" in page.text
    done = client.post(link, follow_redirects=True)
    assert "as well" in done.text and "Where you work" in done.text
    rows = db.session.scalars(select(Membership).where(Membership.user_id == staff.id)
                              .order_by(Membership.id)).all()
    assert [(m.retailer_id, m.premises_id) for m in rows] == [
        (first.retailer_id, first.id), (second.retailer_id, second.id)]
    db.session.refresh(staff)
    assert staff.retailer_id == first.retailer_id  # still working at the first until they switch
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "invitation_accepted", AuditEvent.target_id == staff.id))
    assert client.get(link).status_code == 404  # used once

    switched = client.post(f"/account/workplaces/{rows[1].id}", follow_redirects=True)
    assert f"You are now working for {second.retailer.name}" in switched.text
    db.session.refresh(staff)
    assert (staff.retailer_id, staff.premises_id) == (second.retailer_id, second.id)
    # Refusals now go to the second business's register.
    assert client.get("/refusals/record").headers["Location"].endswith(
        f"/premises/{second.id}/refusals/new")


def test_invitation_for_another_account_is_refused(client, login_as, outbox, two_shops):
    _first, second, _staff, manager = two_shops
    link = _invite_existing(client, login_as, outbox, second, manager)
    login_as(UserFactory(role=Role.STAFF, retailer=second.retailer, premises=second))
    response = client.get(link)
    assert response.status_code == 403 and "sent to sam@example.com" in response.text
    assert client.post(link).status_code == 403
    assert db.session.scalar(select(Membership.id)) is None


def test_someone_cannot_switch_to_another_person_workplace(client, login_as, outbox, two_shops):
    _first, second, staff, manager = two_shops
    link = _invite_existing(client, login_as, outbox, second, manager)
    login_as(staff)
    client.post(link)
    theirs = db.session.scalar(select(Membership).where(
        Membership.retailer_id == second.retailer_id))
    other = login_as(UserFactory(role=Role.STAFF))
    assert client.post(f"/account/workplaces/{theirs.id}").status_code == 403
    assert client.post("/account/workplaces/999999").status_code == 404
    db.session.refresh(other)
    assert other.retailer_id is None


def test_already_working_there_or_a_manager_cannot_be_invited(client, login_as, two_shops):
    first, second, staff, manager = two_shops
    login_as(UserFactory(role=Role.MANAGER, retailer=first.retailer))
    assert f"This person already works for {first.retailer.name}" in invite(
        client, first.retailer_id, first.id, "sam@example.com").text
    login_as(manager)
    UserFactory(role=Role.MANAGER, email="boss@example.com")
    assert "An account already uses this email address" in invite(
        client, second.retailer_id, second.id, "boss@example.com").text


def test_a_single_business_person_has_no_workplace_list(client, login_as, two_shops):
    _first, _second, staff, _manager = two_shops
    login_as(staff)
    assert "Where you work" not in client.get("/account").text


def test_acceptance_is_refused_for_a_member_or_another_account(client, login_as, outbox,
                                                                two_shops):
    from compliance.audit import Actor
    from compliance.business import memberships

    _first, second, staff, manager = two_shops
    link = _invite_existing(client, login_as, outbox, second, manager)
    token = link.rsplit("/", 1)[1]
    with pytest.raises(memberships.WrongAccount):
        memberships.join_from_invitation(token, manager, Actor(manager))
    staff.retailer_id, staff.premises_id = second.retailer_id, second.id  # moved meanwhile
    db.session.flush()
    login_as(staff)
    assert client.post(link).status_code == 404
    assert db.session.scalar(select(Membership.id)) is None
