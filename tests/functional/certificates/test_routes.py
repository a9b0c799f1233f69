"""Issuing, downloading, verifying, revoking, correcting and expiring certificates."""

import csv
import hashlib
import io
import re
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from compliance.audit import Actor
from compliance.certificates import services
from compliance.certificates.queries import expire_certificates
from compliance.extensions import db
from compliance.mail import get_mailer
from compliance.models import (
    Assessment,
    AuditEvent,
    Certificate,
    QuizAttempt,
    Role,
    TestPurchase,
    TrainingCompletion,
    Visit,
)
from compliance.models.base import utcnow
from tests.factories import PremisesFactory, UserFactory
from tests.settle import settle


def verify_url(code: str) -> str:
    return f"https://portal.example.org/verify/{code}"


def completion_for(user, days_left: int = 365) -> TrainingCompletion:
    now = utcnow()
    attempt = QuizAttempt(user_id=user.id, jurisdiction="england-wales", total=15, pass_mark=80,
                          submitted_at=now, score=14, passed=True)
    db.session.add(attempt)
    db.session.flush()
    completion = TrainingCompletion(user_id=user.id, attempt_id=attempt.id, completed_at=now,
                                    expires_at=now + timedelta(days=days_left), score_percent=93)
    db.session.add(completion)
    db.session.flush()
    return completion


@pytest.fixture
def shop():
    premises = PremisesFactory(name="Market Street")
    manager = UserFactory(role=Role.MANAGER, retailer=premises.retailer)
    staff = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises,
                        name="Jo Bloggs", email="jo.bloggs@example.com")
    return premises, manager, staff


def staff_certificate(staff, days_left: int = 365) -> Certificate:
    cert = services.issue_staff_certificate(completion_for(staff, days_left),
                                            actor=Actor(staff), verify_url=verify_url)
    settle()  # the PDF is rendered and emailed by jobs after the commit
    return cert


def test_staff_certificate_is_stored_and_emailed(app, shop, outbox):
    _premises, _manager, staff = shop
    cert = staff_certificate(staff)
    assert cert.sha256 == hashlib.sha256(cert.pdf).hexdigest() and cert.pdf.startswith(b"%PDF")
    assert (cert.holder_name, cert.premises_name) == ("Jo Bloggs", "Market Street")
    email = outbox[-1]
    assert email.to == "jo.bloggs@example.com" and cert.code in email.body
    assert email.attachments[0].content == cert.pdf


def test_downloads_are_byte_identical_and_match_the_published_hash(client, login_as, shop):
    _premises, _manager, staff = shop
    cert = staff_certificate(staff)
    login_as(staff)
    first = client.get(f"/certificates/{cert.code}.pdf")
    second = client.get(f"/certificates/{cert.code}.pdf")
    assert first.data == second.data == cert.pdf
    assert first.headers["Content-Disposition"].endswith(f'certificate-{cert.code}.pdf')
    public = client.get(f"/verify/{cert.code}.json").json
    assert public["sha256"] == hashlib.sha256(first.data).hexdigest()


def test_verify_page_shows_a_valid_staff_certificate_without_email(client, shop):
    _premises, _manager, staff = shop
    cert = staff_certificate(staff)
    page = client.get(f"/verify/{cert.code}")
    assert "This certificate is valid" in page.text
    assert "Jo Bloggs" in page.text and cert.business_name in page.text
    assert "jo.bloggs@example.com" not in page.text and cert.sha256 in page.text
    data = client.get(f"/verify/{cert.code}.json").json
    assert data["status"] == "valid" and data["holder"] == "Jo Bloggs"
    assert "email" not in str(data).lower() and "jo.bloggs@" not in str(data)
    db.session.refresh(cert)
    assert cert.verifications == 2


def test_typed_codes_are_forgiving_and_bad_codes_explained(client, shop):
    _premises, _manager, staff = shop
    cert = staff_certificate(staff)
    typed = client.get("/verify", query_string={"code": cert.code.lower().replace("-", " ")})
    assert typed.headers["Location"] == f"/verify/{cert.code}"
    typo = client.get("/verify", query_string={"code": cert.code[:-1] + "Z"
                                               if cert.code[-1] != "Z" else cert.code[:-1] + "Y"})
    assert "check each character" in typo.text and "govuk-error-summary" in typo.text
    unknown = client.get("/verify/KSC-2345-6789-ABC8")
    assert unknown.status_code == 404 and "Page not found" not in unknown.text
    assert "No certificate has this code" in unknown.text
    assert "may not be genuine" in unknown.text and "101" in unknown.text
    assert "is in the form we print" in unknown.text
    garbled = client.get("/verify/not-a-code")
    assert garbled.status_code == 404 and "This is not a code we print" in garbled.text
    missing = client.get("/verify/KSC-2345-6789-ABC8.json")
    assert missing.status_code == 404 and missing.json["status"] == 404
    assert "may not be genuine" in missing.json["message"]


def test_revoked_expired_and_superseded_show_at_once(client, login_as, shop, people):
    _premises, _manager, staff = shop
    cert = staff_certificate(staff)
    login_as(people["officer"])
    response = client.post(f"/certificates/{cert.code}/revoke",
                           data={"reason": "Issued to the wrong person"}, follow_redirects=True)
    assert "revoked" in response.text
    page = client.get(f"/verify/{cert.code}")
    assert "This certificate has been revoked" in page.text
    assert "Issued to the wrong person" in page.text
    assert client.get(f"/verify/{cert.code}.json").json["revoke_reason"] == \
        "Issued to the wrong person"

    old = staff_certificate(staff, days_left=-1)
    assert "This certificate has been replaced" in client.get(f"/verify/{old.code}").text or \
        "This certificate has expired" in client.get(f"/verify/{old.code}").text
    new = staff_certificate(staff)  # a renewal supersedes the previous one
    page = client.get(f"/verify/{old.code}")
    assert "This certificate has been replaced" in page.text and new.code in page.text
    expired = staff_certificate(UserFactory(role=Role.STAFF, retailer_id=staff.retailer_id,
                                            premises_id=staff.premises_id), days_left=-2)
    assert client.get(f"/verify/{expired.code}.json").json["status"] == "expired"
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"certificate_issued", "certificate_revoked", "certificate_superseded"} <= actions


def test_admin_corrects_a_misspelt_name_by_reissuing(client, login_as, shop, people):
    _premises, _manager, staff = shop
    cert = staff_certificate(staff)
    login_as(people["admin"])
    response = client.post(f"/certificates/{cert.code}/correct", data={
        "holder_name": "Jo Blogs-Smith", "reason": "Surname misspelt"}, follow_redirects=True)
    new = db.session.scalar(select(Certificate).where(Certificate.holder_name == "Jo Blogs-Smith"))
    assert new.code in response.text
    db.session.refresh(cert)
    assert cert.superseded_by_id == new.id and cert.supersede_reason == "Surname misspelt"
    assert (new.issued_at, new.expires_at) == (cert.issued_at, cert.expires_at)
    assert "Surname misspelt" in client.get(f"/verify/{cert.code}").text
    blank = client.post(f"/certificates/{new.code}/correct", data={"holder_name": "", "reason": ""})
    assert "Enter the name to print" in blank.text


def make_green(premises, days_ago: int = 1) -> Assessment:
    assessment = Assessment(premises_id=premises.id, status="submitted",
                            started_by_id=UserFactory().id,
                            submitted_at=utcnow() - timedelta(days=days_ago), rating="green",
                            score_percent=92, points_met=60, points_applicable=65)
    db.session.add(assessment)
    db.session.flush()
    return assessment


def failed_test_purchase(premises, officer) -> TestPurchase:
    visit = Visit(premises_id=premises.id, officer_id=officer.id, idempotency_key="k" * 32,
                  status="submitted", visited_at=utcnow())
    db.session.add(visit)
    db.session.flush()
    purchase = TestPurchase(visit_id=visit.id, premises_id=premises.id, volunteer_age=16,
                            item_attempted="Kitchen knife", id_asked=False, sold=True)
    db.session.add(purchase)
    db.session.flush()
    return purchase


def test_manager_issues_a_self_assessment_statement_never_a_verified_certificate(
        client, login_as, shop, people):
    premises, manager, staff = shop
    login_as(manager)
    page = client.get(f"/certificates/premises/{premises.id}")
    assert "Submit a self-assessment for these premises first" in page.text
    assert "0 of 1 active staff hold a current training certificate" in page.text
    refused = client.post(f"/certificates/premises/{premises.id}")
    assert "govuk-error-summary" in refused.text
    assert db.session.scalar(select(Certificate)) is None

    make_green(premises)
    failed_test_purchase(premises, people["officer"])
    page = client.get(f"/certificates/premises/{premises.id}")
    assert "A failed test purchase at these premises has not been resolved" in page.text
    response = client.post(f"/certificates/premises/{premises.id}", follow_redirects=True)
    statement = db.session.scalar(select(Certificate))
    assert statement.kind == "statement" and statement.code in response.text
    # Whatever a manager does, no verified premises certificate comes of it.
    assert db.session.scalar(select(Certificate).where(Certificate.kind == "premises")) is None

    public = client.get(f"/verify/{statement.code}")
    assert "This statement is valid" in public.text
    assert "govuk-panel--confirmation" not in public.text  # genuine, not an approval
    assert "Self-assessed by the business, not inspected." in public.text
    assert "not a police or trading standards certificate" in public.text
    assert "Verified by" not in public.text and "Premises compliance" not in public.text
    data = client.get(f"/verify/{statement.code}.json").json
    assert (data["kind"], data["self_assessed"], data["verified_by"]) == (
        "statement", True, None)
    text = pdf_text(statement)
    assert "Self-assessed by the business, not inspected" in text
    assert "partnership service" not in text and "This certifies that" not in text
    assert "green rating" in text and "0 of 1 active staff" in text


def pdf_text(cert: Certificate) -> str:
    from pypdf import PdfReader

    db.session.refresh(cert)
    return " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(io.BytesIO(cert.pdf)).pages)


def prepared_zip(client) -> bytes:
    """Ask for the ZIP on the certificates page; the job builds it (in-process here, as in
    the demo) and the export's page offers it."""
    page = client.get("/certificates/").text
    assert "Prepare all certificates as a ZIP (with an index)" in page
    asked = client.post("/certificates/business.zip")
    assert asked.status_code == 302 and asked.headers["Location"].startswith("/exports/")
    ready = client.get(asked.headers["Location"]).text
    assert 'id="export-ready"' in ready and "All certificates (ZIP with an index)" in ready
    download = client.get(asked.headers["Location"] + "/download")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    return download.data


def test_manager_downloads_every_certificate_as_a_zip_with_an_index(client, login_as, shop):
    premises, manager, staff = shop
    certs = [staff_certificate(staff),
             staff_certificate(UserFactory(role=Role.STAFF, retailer=premises.retailer,
                                           premises=premises))]
    elsewhere = PremisesFactory()
    staff_certificate(UserFactory(role=Role.STAFF, retailer=elsewhere.retailer,
                                  premises=elsewhere))  # another business: not in the bundle
    login_as(manager)
    bundle = zipfile.ZipFile(io.BytesIO(prepared_zip(client)))
    rows = list(csv.DictReader(io.StringIO(bundle.read("index.csv").decode("utf-8-sig"))))
    assert {r["Code"] for r in rows} == {c.code for c in certs}
    for row in rows:
        assert hashlib.sha256(bundle.read(row["File"])).hexdigest() == row["SHA-256"]


def test_the_zip_is_written_a_chunk_of_certificates_at_a_time(client, login_as, shop,
                                                               monkeypatch):
    """A chain's thousands of PDFs never sit in memory together: with chunks of two, five
    certificates (one still without its PDF) all arrive, each PDF as stored."""
    from compliance.certificates import jobs as certificate_jobs
    from compliance.certificates import queries

    premises, manager, staff = shop
    monkeypatch.setattr(queries, "BUNDLE_CHUNK", 2)
    monkeypatch.setattr(certificate_jobs, "render_certificate_pdf",
                        lambda data: b"%PDF-1.7 " + data.code.encode())
    monkeypatch.setattr(certificate_jobs, "sign_pdf", lambda pdf: pdf)
    certs = [staff_certificate(UserFactory(role=Role.STAFF, retailer=premises.retailer,
                                           premises=premises)) for _ in range(4)]
    waiting = Certificate(code="KSC-ZIPW-0000-0001", kind="staff", retailer_id=premises.retailer_id,
                          holder_name="Not Yet", business_name="Alpha",
                          expires_at=utcnow() + timedelta(days=30))
    db.session.add(waiting)
    db.session.flush()
    login_as(manager)
    bundle = zipfile.ZipFile(io.BytesIO(prepared_zip(client)))
    rows = list(csv.DictReader(io.StringIO(bundle.read("index.csv").decode("utf-8-sig"))))
    assert [r["Code"] for r in rows] == [c.code for c in certs] + [waiting.code]
    for cert in certs:
        assert bundle.read(f"certificate-{cert.code}.pdf") == b"%PDF-1.7 " + cert.code.encode()
    assert rows[-1]["File"] == "" and rows[-1]["SHA-256"] == ""


def test_zip_index_neutralises_formulas_in_every_column(client, login_as):
    premises = PremisesFactory(name="+Premises()")
    manager = UserFactory(role=Role.MANAGER, retailer=premises.retailer)
    staff_certificate(UserFactory(role=Role.STAFF, retailer=premises.retailer,
                                  premises=premises, name="=HYPERLINK(1)"))
    login_as(manager)
    index = zipfile.ZipFile(io.BytesIO(prepared_zip(client))).read("index.csv")
    assert index.startswith(b"\xef\xbb\xbf")
    row = next(csv.DictReader(io.StringIO(index.decode("utf-8-sig"))))
    assert row["Holder"] == "'=HYPERLINK(1)" and row["Premises"] == "'+Premises()"


def test_people_see_only_the_certificates_they_may(client, login_as, shop):
    premises, manager, staff = shop
    mine = staff_certificate(staff)
    other_staff = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
    theirs = staff_certificate(other_staff)
    login_as(staff)
    page = client.get("/certificates/")
    assert mine.code in page.text and theirs.code not in page.text
    assert client.get(f"/certificates/{theirs.code}.pdf").status_code == 403
    login_as(manager)
    page = client.get("/certificates/")
    assert mine.code in page.text and theirs.code in page.text


def test_expire_command_marks_and_reminds(runner, shop, outbox):
    premises, manager, staff = shop
    soon = staff_certificate(staff, days_left=20)
    gone = staff_certificate(UserFactory(role=Role.STAFF, retailer=premises.retailer),
                             days_left=-1)
    outbox.clear()
    result = runner.invoke(args=["certificates", "expire"])  # an alias of `reminders send`
    assert result.exit_code == 0 and "1 certificates marked expired, 2 reminders sent" in \
        result.output
    # The training certificate's warning is the training reminder, to holder and manager.
    assert {e.to for e in outbox} == {staff.email, manager.email}
    assert all("training expires" in e.subject for e in outbox)
    db.session.refresh(gone)
    assert gone.expired_marked_at and soon.reminder_sent_at is None
    again = expire_certificates(get_mailer(), Actor(None), remind_staff=False)
    assert (again.expired, again.reminded) == (0, 0)


def test_verify_endpoint_is_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", "3 per minute")
    codes = [client.get("/verify/KSC-2345-6789-ABC8").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]


def test_quiz_pass_issues_the_certificate(client, login_as, shop, outbox):
    from compliance.training.content import load_content
    from tests.functional.training.test_routes import answer_all, open_attempt, read_all

    load_content()
    _premises, _manager, staff = shop
    login_as(staff)
    read_all(client)
    client.post("/training/quiz")
    attempt = open_attempt(staff)
    answer_all(client, attempt, right=True)
    client.post(f"/training/quiz/{attempt.id}/check")
    cert = db.session.scalar(select(Certificate).where(Certificate.holder_user_id == staff.id))
    assert cert is not None and cert.kind == "staff"
    assert outbox[-1].attachments and re.search(cert.code, outbox[-1].body)


def test_certificate_list_uses_constant_queries(client, login_as, shop, count_queries,
                                                monkeypatch):
    premises, manager, staff = shop
    from compliance.certificates import jobs as certificate_jobs

    monkeypatch.setattr(certificate_jobs, "render_certificate_pdf", lambda data: b"%PDF-1.7 stub")
    monkeypatch.setattr(certificate_jobs, "sign_pdf", lambda pdf: pdf)
    login_as(manager)
    staff_certificate(staff)
    with count_queries() as one:
        client.get("/certificates/")
    for _ in range(19):
        staff_certificate(UserFactory(role=Role.STAFF, retailer=premises.retailer,
                                      premises=premises))
    with count_queries() as twenty:
        client.get("/certificates/")
    assert one["n"] == twenty["n"]


@pytest.mark.parametrize("role, next_step", [
    (Role.STAFF, "You get a training certificate when you pass the quiz"),
    (Role.MANAGER, "invite them from your business page"),
    (Role.OFFICER, "officers verify premises"),
])
def test_an_empty_certificate_list_says_how_to_get_one(client, login_as, role, next_step):
    premises = PremisesFactory()
    login_as(UserFactory(role=role, retailer=premises.retailer if role != Role.OFFICER else None,
                         premises=premises if role == Role.STAFF else None))
    page = client.get("/certificates/").text
    assert "No certificates yet." in page and next_step in page
