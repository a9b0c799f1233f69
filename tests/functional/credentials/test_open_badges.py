"""Open Badges 3.0 credentials, verified with jwcrypto (joserfc/PyJWT is what signs them)."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from jwcrypto import jwk, jws
from jwcrypto import jwt as jw

from compliance.audit import Actor
from compliance.certificates import services as certificates
from compliance.credentials import issue_credential
from compliance.credentials.keys import CredentialKeysMissingError, signing_key
from compliance.extensions import db
from compliance.models import Role, User
from compliance.urls import PublicBaseURLError, public_url
from tests.conftest import PUBLIC_BASE_URL
from tests.factories import PremisesFactory, UserFactory
from tests.functional.certificates.test_routes import staff_certificate

OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


@pytest.fixture
def holder():
    premises = PremisesFactory(name="Market Street")
    return UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises,
                       name="Jo Bloggs", email="jo.bloggs@example.com")


@pytest.fixture
def cert(holder):
    return staff_certificate(holder)


def published_keys(client) -> jwk.JWKSet:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return jwk.JWKSet.from_json(response.get_data(as_text=True))


def download(client, login_as, holder, cert) -> str:
    login_as(holder)
    response = client.get(f"/certificates/{cert.code}/open-badge.jwt")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="open-badge-{cert.code}.jwt"'
    return response.get_data(as_text=True)


def verified_claims(token: str, keys: jwk.JWKSet) -> dict:
    """jwcrypto: picks the key by kid from the published set, checks signature, nbf and exp."""
    checked = jw.JWT(jwt=token, key=keys, algs=["EdDSA"],
                     check_claims={"nbf": None, "exp": None})
    return json.loads(checked.claims)


def b64(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def test_holder_downloads_a_credential_that_jwcrypto_verifies_against_the_jwks(
        client, login_as, holder, cert):
    token = download(client, login_as, holder, cert)
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["alg"] == "EdDSA" and header["typ"] == "JWT"
    keys = published_keys(client)
    assert keys.get_key(header["kid"]) is not None
    assert header["kid"].startswith(f"{PUBLIC_BASE_URL}/.well-known/jwks.json#")
    claims = verified_claims(token, keys)
    assert claims["credentialSubject"]["identifier"][0]["identityHash"] == "Jo Bloggs"


def test_the_credential_has_the_open_badges_3_required_properties(client, login_as, holder,
                                                                   cert):
    vc = verified_claims(download(client, login_as, holder, cert), published_keys(client))
    assert vc["@context"][:2] == ["https://www.w3.org/ns/credentials/v2", OB3_CONTEXT]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["id"].startswith("urn:uuid:") and vc["name"]
    issuer = vc["issuer"]
    assert issuer["type"] == ["Profile"] and issuer["name"]
    assert issuer["id"] == f"{PUBLIC_BASE_URL}/issuer.json"
    assert issuer["url"] == f"{PUBLIC_BASE_URL}/issuer"
    assert vc["validFrom"].endswith("Z") and vc["validUntil"].endswith("Z")
    subject = vc["credentialSubject"]
    assert "AchievementSubject" in subject["type"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    for prop in ("id", "name", "description", "criteria"):
        assert achievement[prop], prop
    assert "80%" in achievement["criteria"]["narrative"]
    assert subject["result"][0]["value"] == "93"
    assert subject["result"][0]["resultDescription"] == \
        achievement["resultDescription"][0]["id"]
    status = vc["credentialStatus"]
    assert status["id"] == f"{PUBLIC_BASE_URL}/verify/{cert.code}.json" and status["type"]
    # The registered claims mirror the credential (OB 3.0 section 8.2).
    assert vc["iss"] == issuer["id"] and vc["jti"] == vc["id"]
    assert vc["nbf"] == int(cert.issued_at.timestamp())
    assert vc["exp"] == int(cert.expires_at.timestamp())
    assert "jo.bloggs@example.com" not in json.dumps(vc) and "@" not in json.dumps(subject)


def test_the_status_endpoint_and_issuer_profile_resolve(client, login_as, holder, cert):
    vc = verified_claims(download(client, login_as, holder, cert), published_keys(client))
    status = client.get(vc["credentialStatus"]["id"].removeprefix(PUBLIC_BASE_URL)).get_json()
    assert status["status"] == "valid" and status["code"] == cert.code
    profile = client.get("/issuer.json").get_json()
    assert profile["id"] == vc["issuer"]["id"] and profile["type"] == ["Profile"]
    page = client.get("/issuer")
    assert page.status_code == 200 and "Responsible knife sales training" in page.text


@pytest.mark.parametrize("segment", [0, 1, 2])
def test_a_one_character_change_fails_jwcrypto(client, login_as, holder, cert, segment):
    token = download(client, login_as, holder, cert)
    parts = token.split(".")
    # change one character in the middle of the segment (not the last: its low bits may be
    # padding that base64url decoders ignore)
    middle = len(parts[segment]) // 2
    swapped = "A" if parts[segment][middle] != "A" else "B"
    parts[segment] = parts[segment][:middle] + swapped + parts[segment][middle + 1:]
    # JWTMissingKey: jwcrypto tried every published key and none verifies the token
    with pytest.raises((jws.InvalidJWSSignature, jws.InvalidJWSObject, jw.JWTMissingKey,
                        ValueError)):
        verified_claims(".".join(parts), published_keys(client))


def test_a_rewritten_payload_with_the_same_signature_fails(client, login_as, holder, cert):
    header, payload, signature = download(client, login_as, holder, cert).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    kid = json.loads(base64.urlsafe_b64decode(header + "=="))["kid"]
    the_key = published_keys(client).get_key(kid)
    with pytest.raises(jws.InvalidJWSSignature):
        jw.JWT(jwt=f"{header}.{b64(claims)}.{signature}", key=the_key, algs=["EdDSA"])


def test_the_jwks_holds_public_keys_only_and_can_be_cached(client):
    response = client.get("/.well-known/jwks.json")
    document = response.get_json()
    assert document["keys"] and all("d" not in key for key in document["keys"])
    assert all(key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["alg"] == "EdDSA"
               for key in document["keys"])
    assert "max-age" in response.headers["Cache-Control"]


def write_key(folder: Path, start: date, *, public_only: bool = False) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    pem = serialization.Encoding.PEM
    data = (key.public_key().public_bytes(pem, serialization.PublicFormat.SubjectPublicKeyInfo)
            if public_only else
            key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))
    (folder / f"{start.isoformat()}.pem").write_bytes(data)


def test_rotation_new_key_signs_from_its_start_date_old_credentials_still_verify(
        app, client, cert, tmp_path, monkeypatch):
    today = date.today()
    old_start, new_start = date(2020, 1, 1), today - timedelta(days=1)
    write_key(tmp_path, old_start)
    monkeypatch.setitem(app.config, "CREDENTIAL_KEYS_DIR", str(tmp_path))
    before = issue_credential(cert, today=new_start - timedelta(days=1))
    write_key(tmp_path, new_start)
    write_key(tmp_path, today + timedelta(days=30))  # published ahead, not signing yet
    assert signing_key(today).start == new_start
    assert signing_key(new_start - timedelta(days=1)).start == old_start
    after = issue_credential(cert, today=today)
    keys = published_keys(client)
    assert len(json.loads(keys.export(private_keys=False))["keys"]) == 3
    kid = json.loads(base64.urlsafe_b64decode(before.split(".")[0] + "=="))["kid"]
    assert kid != json.loads(base64.urlsafe_b64decode(after.split(".")[0] + "=="))["kid"]
    assert verified_claims(before, keys) == verified_claims(after, keys)

    # Retire the old key: keep only its public half. It verifies but no longer signs.
    old_file = tmp_path / f"{old_start.isoformat()}.pem"
    private = serialization.load_pem_private_key(old_file.read_bytes(), password=None)
    old_file.write_bytes(private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    assert verified_claims(before, published_keys(client))
    with pytest.raises(CredentialKeysMissingError):
        signing_key(new_start - timedelta(days=1))


def test_no_started_key_means_no_credential(app, cert, tmp_path, monkeypatch):
    write_key(tmp_path, date.today() + timedelta(days=10))
    monkeypatch.setitem(app.config, "CREDENTIAL_KEYS_DIR", str(tmp_path))
    with pytest.raises(CredentialKeysMissingError):
        issue_credential(cert)


def test_addresses_come_from_public_base_url_never_the_host_header(client, login_as, holder,
                                                                    cert, app, monkeypatch):
    login_as(holder)
    token = client.get(f"/certificates/{cert.code}/open-badge.jwt",
                       headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in base64.urlsafe_b64decode(token.split(".")[1] + "==").decode()
    with app.test_request_context(), pytest.raises(PublicBaseURLError):
        monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)
        public_url("credentials.jwks")


def test_who_may_download_a_credential(client, login_as, holder, cert, people):
    url = f"/certificates/{cert.code}/open-badge.jwt"
    assert client.get(url).status_code == 302
    login_as(people["other_manager"])
    assert client.get(url).status_code == 403
    login_as(holder)
    assert client.get("/certificates/KSC-2345-6789-ABC8/open-badge.jwt").status_code == 404
    certificates.revoke(cert, "Issued in error", Actor(db.session.get(User, people["admin"].id)))
    assert client.get(url).status_code == 404  # no new badges for revoked certificates


def test_the_detail_page_offers_the_credential(client, login_as, holder, cert):
    login_as(holder)
    page = client.get(f"/certificates/{cert.code}")
    assert f"/certificates/{cert.code}/open-badge.jwt" in page.text


def test_the_verify_page_shows_a_statement_a_cached_key_can_check(client, cert, people):
    import re

    keys = published_keys(client)  # what an officer's phone saved while it had a signal
    page = client.get(f"/verify/{cert.code}").text
    statement = re.search(r'<code class="app-hash">(ey[\w.-]+)</code>', page).group(1)
    claims = json.loads(jw.JWT(jwt=statement, key=keys, algs=["EdDSA"]).claims)
    assert (claims["code"], claims["holder"], claims["status"]) == (cert.code, "Jo Bloggs",
                                                                     "valid")
    certificates.revoke(cert, "Issued in error", Actor(db.session.get(User, people["admin"].id)))
    page = client.get(f"/verify/{cert.code}").text
    statement = re.search(r'<code class="app-hash">(ey[\w.-]+)</code>', page).group(1)
    assert json.loads(jw.JWT(jwt=statement, key=keys, algs=["EdDSA"]).claims)["status"] == \
        "revoked"
    header, payload, signature = statement.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged = b64(claims | {"status": "valid"})
    with pytest.raises((jws.InvalidJWSSignature, jw.JWTMissingKey)):
        jw.JWT(jwt=f"{header}.{forged}.{signature}", key=keys, algs=["EdDSA"])


def test_no_statement_without_credential_keys(app, client, cert, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "CREDENTIAL_KEYS_DIR", str(tmp_path))
    page = client.get(f"/verify/{cert.code}")
    assert page.status_code == 200 and "Signed statement" not in page.text
