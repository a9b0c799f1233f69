import re

from sqlalchemy import select

from compliance.extensions import db
from compliance.models import Agency, AgencyKind, AuditEvent, Role, User
from tests.factories import AgencyFactory, UserFactory


def test_admin_creates_an_officer_who_sets_a_password_from_the_email(client, login_as, outbox):
    login_as(UserFactory(role=Role.ADMIN))
    agency = AgencyFactory(name="Northshire Police")
    response = client.post("/admin/users/new", data={
        "name": "Olu Officer", "email": "olu@police.example.com", "role": "officer",
        "agency": agency.id}, follow_redirects=True)
    assert "Account created" in response.text
    officer = db.session.scalar(select(User).where(User.email == "olu@police.example.com"))
    assert (officer.role, officer.agency_id) == (Role.OFFICER, agency.id)
    email = outbox[-1]
    # An account set-up email, not a password reset the person never asked for.
    assert email.subject == "Your Knife Sales Compliance account"
    assert "as an engagement officer for Northshire Police" in email.body
    assert "expires in 7 days" in email.body and "did not ask" not in email.body
    assert "168 hours" not in email.body and "reset" not in email.body.lower()
    link = re.search(r"https://portal\.example\.org(/auth/account/set-up/\S+)",
                     email.body).group(1)
    client.post("/auth/sign-out")
    page = client.get(link)
    assert "Set up your account" in page.text and "olu@police.example.com" in page.text
    assert "new password" not in page.text.lower()
    done = client.post(link, data={"password": "patrol the high street", "confirm":
                                   "patrol the high street"}, follow_redirects=True)
    assert "Your account is set up" in done.text
    assert client.get(link).status_code == 404  # the link works once
    signed_in = client.post("/auth/sign-in", data={"email": "olu@police.example.com",
                                                   "password": "patrol the high street"},
                            follow_redirects=True)
    assert "Hello, Olu Officer" in signed_in.text
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "account_created", AuditEvent.target_id == officer.id))
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "account_set_up", AuditEvent.target_id == officer.id))


def test_an_officer_needs_an_agency(client, login_as):
    login_as(UserFactory(role=Role.ADMIN))
    response = client.post("/admin/users/new", data={
        "name": "No Agency", "email": "noagency@example.com", "role": "officer", "agency": 0})
    assert "Select the officer's agency" in response.text
    assert 'value="No Agency"' in response.text


def test_admin_creates_another_admin(client, login_as, outbox):
    login_as(UserFactory(role=Role.ADMIN))
    client.post("/admin/users/new", data={"name": "Second Admin", "email": "two@example.com",
                                          "role": "admin", "agency": 0})
    user = db.session.scalar(select(User).where(User.email == "two@example.com"))
    assert user.role == Role.ADMIN and user.agency_id is None
    assert outbox[-1].to == "two@example.com"


def test_admin_manages_agencies(client, login_as):
    login_as(UserFactory(role=Role.ADMIN))
    client.post("/admin/agencies/new", data={"name": "Westshire Trading Standards",
                                             "kind": "trading_standards"})
    agency = db.session.scalar(select(Agency).where(Agency.name == "Westshire Trading Standards"))
    assert agency.kind == AgencyKind.TRADING_STANDARDS
    clash = client.post("/admin/agencies/new", data={"name": "westshire trading standards",
                                                     "kind": "police"})
    assert "An agency with this name already exists" in clash.text
    client.post(f"/admin/agencies/{agency.id}/edit", data={"name": "Westshire Council TS",
                                                           "kind": "trading_standards"})
    db.session.refresh(agency)
    assert agency.name == "Westshire Council TS"
    assert "Westshire Council TS" in client.get("/admin/agencies").text


def test_admin_deactivates_and_reactivates_an_account(client, login_as):
    login_as(UserFactory(role=Role.ADMIN))
    officer = UserFactory(role=Role.OFFICER, agency=AgencyFactory())
    client.post(f"/admin/users/{officer.id}/status")
    db.session.refresh(officer)
    assert not officer.active
    client.post(f"/admin/users/{officer.id}/status")
    db.session.refresh(officer)
    assert officer.active


def test_admin_cannot_deactivate_themselves(client, login_as):
    admin = login_as(UserFactory(role=Role.ADMIN))
    assert client.post(f"/admin/users/{admin.id}/status").status_code == 403


def test_audit_log_filters_by_action_person_and_date(client, login_as):
    admin = login_as(UserFactory(role=Role.ADMIN, email="boss@example.com"))
    other = UserFactory(email="someone@example.com")
    client.post("/auth/sign-in")  # signed in already: no event
    from compliance import audit
    from compliance.audit import Actor

    audit.record(Actor(admin, "192.0.2.1"), "agency_created", "Created agency A")
    audit.record(Actor(other, "192.0.2.2"), "sign_in", "Signed in")
    db.session.flush()
    page = client.get("/admin/audit", query_string={"action": "sign_in"})
    assert "Signed in" in page.text and "Created agency A" not in page.text
    page = client.get("/admin/audit", query_string={"actor": "boss@example.com"})
    assert "Created agency A" in page.text and "someone@example.com" not in page.text
    # Actions read as words, in the table and in the filter, never as internal codes.
    assert "<td class=\"govuk-table__cell\">Agency created</td>" in page.text
    assert ">Agency created</option>" in page.text and "agency_created</" not in page.text
    future = client.get("/admin/audit", query_string={"since": ["1", "1", "2999"]})
    assert "0 events" in future.text
    bad = client.get("/admin/audit", query_string={"since": ["31", "2", "2026"]})
    assert "govuk-error-summary" in bad.text


def test_users_list_filters_by_role(client, login_as, people):
    login_as(people["admin"])
    page = client.get("/admin/users", query_string={"role": "officer"})
    assert people["officer"].email in page.text and people["staff"].email not in page.text


def test_create_user_command(runner):
    agency = AgencyFactory(name="Eastshire Police")
    result = runner.invoke(args=["create-user", "--email", "cli.officer@example.com", "--name",
                                 "Cli Officer", "--role", "officer", "--agency",
                                 "Eastshire Police", "--password", "a long cli password"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "cli.officer@example.com"))
    assert (user.role, user.agency_id) == (Role.OFFICER, agency.id)


def test_create_user_command_explains_problems(runner):
    weak = runner.invoke(args=["create-user", "--email", "a@example.com", "--name", "A",
                               "--role", "admin", "--password", "short"])
    assert weak.exit_code != 0 and "12 characters" in weak.output
    no_agency = runner.invoke(args=["create-user", "--email", "b@example.com", "--name", "B",
                                    "--role", "officer", "--agency", "Nowhere Police",
                                    "--password", "a long cli password"])
    assert no_agency.exit_code != 0 and "No agency called 'Nowhere Police'" in no_agency.output


def test_content_reviews_list_modules_past_their_review_date_first(client, login_as, app):
    from datetime import timedelta

    from compliance.models import TrainingModule
    from compliance.models.base import utcnow
    from compliance.training.content import load_content

    load_content()
    login_as(UserFactory(role=Role.ADMIN))
    stale = db.session.scalar(select(TrainingModule).where(
        TrainingModule.slug == "test-purchases", TrainingModule.is_current))
    stale.last_reviewed = utcnow().date() - timedelta(days=app.config["CONTENT_REVIEW_DAYS"] + 1)
    db.session.flush()
    page = client.get("/admin/content-reviews").text
    assert "1 module is past its review date." in page
    assert page.count("Past review date") == 1
    assert page.index(stale.title) < page.index("The law and who is liable")
    assert "Content editor (checked against the domain reference)" in page


def test_module_page_says_who_reviewed_it(client, login_as):
    from compliance.training.content import load_content
    from tests.factories import PremisesFactory

    load_content()
    premises = PremisesFactory()
    login_as(UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises))
    page = client.get("/training/modules/law-and-liability").text
    assert "by Content editor (checked against the domain reference)" in page
