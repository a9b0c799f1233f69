"""Every absolute address the portal writes comes from PUBLIC_BASE_URL, never the Host header.

Each journey here is sent with a forged Host header; nothing it prints, emails or encodes in
a QR code may name that host.
"""

from __future__ import annotations

import io
import re
import subprocess

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from compliance.extensions import db
from compliance.models import Certificate, Role
from tests.factories import AgencyFactory, PremisesFactory, RetailerFactory, UserFactory
from tests.visit_factories import OfficerFactory, VisitFactory

PUBLIC = "https://portal.example.org"
EVIL = "http://evil.example"
FORGED = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}


def forged(client) -> str:
    """Carry the signed-in session over to requests sent to a forged host; its base URL."""
    cookie = client.get_cookie("session", domain="localhost")
    if cookie is not None:
        client.set_cookie("session", cookie.value, domain="evil.example")
    return EVIL


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


def assert_public(text: str) -> None:
    found = links(text)
    assert found, "no absolute address found"
    assert "evil.example" not in text
    assert all(link.startswith(PUBLIC + "/") for link in found), found


def test_password_reset_link(client, outbox):
    UserFactory(email="reset.me@example.com")
    client.post(forged(client) + "/auth/password/forgot", data={"email": "reset.me@example.com"},
                headers=FORGED)
    assert_public(outbox[-1].body)


def test_invitation_and_account_setup_links(client, login_as, outbox):
    premises = PremisesFactory()
    login_as(UserFactory(role=Role.MANAGER, retailer=premises.retailer))
    client.post(f"{forged(client)}/businesses/{premises.retailer_id}/staff/invite",
                headers=FORGED, data={
        "name": "New Starter", "email": "new.starter@example.com", "premises": premises.id})
    assert_public(outbox[-1].body)
    login_as(UserFactory(role=Role.ADMIN))
    client.post(forged(client) + "/admin/users/new", headers=FORGED, data={
        "name": "Olu Officer", "email": "olu@police.example.com", "role": "officer",
        "agency": AgencyFactory().id})
    assert outbox[-1].to == "olu@police.example.com"
    assert_public(outbox[-1].body)


def test_follow_up_email_link(client, login_as, outbox):
    premises = PremisesFactory()
    UserFactory(role=Role.MANAGER, retailer=premises.retailer)
    officer = OfficerFactory()
    visit = VisitFactory(officer=officer, premises=premises)
    login_as(officer)
    client.post(f"{forged(client)}/visits/{visit.id}/follow-ups/new", headers=FORGED, data={
        "action": "Put up a Challenge 25 sign", "evidence_wanted": "A photo",
        "due_on": ["1", "1", "2030"], "guidance_link": ""})
    assert outbox, "no follow-up email was sent"
    assert_public(outbox[-1].body)


def test_printed_visit_summary(client, login_as):
    officer = OfficerFactory()
    shop = PremisesFactory(retailer=RetailerFactory(claimed=False), claim_code="CLAIM-1234")
    visit = VisitFactory(officer=officer, premises=shop)
    login_as(officer)
    page = client.get(f"{forged(client)}/visits/{visit.id}/summary", headers=FORGED).text
    assert f"Register free at {PUBLIC}/businesses/register" in page
    assert "evil.example" not in page


@pytest.mark.slow
def test_certificate_pdf_qr_code_and_email_after_a_quiz_pass(client, login_as, outbox,
                                                              tmp_path):
    from compliance.training.content import load_content
    from tests.functional.training.test_routes import answer_all, open_attempt, read_all

    load_content()
    premises = PremisesFactory()
    staff = login_as(UserFactory(role=Role.STAFF, retailer=premises.retailer,
                                 premises=premises))
    read_all(client)
    client.post(forged(client) + "/training/quiz", headers=FORGED)
    attempt = open_attempt(staff)
    answer_all(client, attempt, right=True)
    client.post(f"{forged(client)}/training/quiz/{attempt.id}/check", headers=FORGED)
    cert = db.session.scalar(select(Certificate).where(Certificate.holder_user_id == staff.id))
    verify = f"{PUBLIC}/verify/{cert.code}"
    assert_public(outbox[-1].body) and verify in outbox[-1].body

    text = " ".join(PdfReader(io.BytesIO(cert.pdf)).pages[0].extract_text().split())
    assert "portal.example.org/verify" in text and "evil.example" not in text
    (tmp_path / "c.pdf").write_bytes(cert.pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(tmp_path / "c.pdf"),  # noqa: S607
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png")))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [verify]
