"""Issue 10's "done means": pass the quiz, download a PDF pdfsig accepts and a credential
jwcrypto verifies against the JWKS; a one-byte edit to either is caught by the upload page
and by the independent checkers."""

from __future__ import annotations

import io
import re

import pytest
from jwcrypto import jwk, jws
from jwcrypto import jwt as jw
from sqlalchemy import select

from compliance.extensions import db
from compliance.models import Certificate, Role
from tests.factories import PremisesFactory, UserFactory
from tests.functional.signing.test_pades import flip_byte, pdfsig


@pytest.mark.slow
def test_quiz_pass_to_signed_pdf_and_verified_badge(client, login_as, tmp_path):
    from compliance.training.content import load_content
    from tests.functional.training.test_routes import answer_all, open_attempt, read_all

    load_content()
    premises = PremisesFactory()
    staff = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises,
                        name="Sam Carter")
    login_as(staff)
    read_all(client)
    client.post("/training/quiz")
    attempt = open_attempt(staff)
    answer_all(client, attempt, right=True)
    client.post(f"/training/quiz/{attempt.id}/check")
    code = db.session.scalar(select(Certificate.code).where(
        Certificate.holder_user_id == staff.id))

    detail = client.get(f"/certificates/{code}").text
    pdf = client.get(f"/certificates/{code}.pdf").data
    assert client.get(f"/certificates/{code}.pdf").data == pdf  # byte-identical downloads
    token = client.get(f"/certificates/{code}/open-badge.jwt").get_data(as_text=True)
    assert "Download Open Badge credential" in detail

    report = pdfsig(pdf, tmp_path)
    assert "Signature is Valid" in report and "Total document signed" in report
    keys = jwk.JWKSet.from_json(client.get("/.well-known/jwks.json").get_data(as_text=True))
    jw.JWT(jwt=token, key=keys, algs=["EdDSA"], check_claims={"exp": None, "nbf": None})

    changed_pdf = flip_byte(pdf, len(pdf) // 4)
    assert "Signature is Valid" not in pdfsig(changed_pdf, tmp_path)
    header, payload, signature = token.split(".")
    changed_token = f"{header}.{payload[:40]}{'B' if payload[40] == 'A' else 'A'}" \
                    f"{payload[41:]}.{signature}"
    with pytest.raises((jws.InvalidJWSSignature, jw.JWTMissingKey, ValueError)):
        jw.JWT(jwt=changed_token, key=keys, algs=["EdDSA"])

    with client.session_transaction() as session:
        session.clear()  # someone else, signed out, checks what they were sent
    for content, name in ((pdf, "c.pdf"), (token.encode(), "b.jwt")):
        page = client.post("/check-a-certificate-file", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(content), name)}).text
        assert "This file is genuine and unchanged" in page
    for content, name in ((changed_pdf, "c.pdf"), (changed_token.encode(), "b.jwt")):
        page = re.sub(r"\s+", " ", client.post(
            "/check-a-certificate-file", content_type="multipart/form-data",
            data={"file": (io.BytesIO(content), name)}).text)
        assert "This file has been changed since it was issued" in page, name
