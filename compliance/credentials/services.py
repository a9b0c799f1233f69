"""Building an OpenBadgeCredential for a training certificate, signing and checking it.

VC Data Model 2.0 with the Open Badges 3.0 context, secured as a VC-JWT (OB 3.0 section 8.2):
the payload is the credential itself plus the registered claims that mirror it (iss, jti,
nbf, exp). Building is deterministic and Ed25519 signatures are too, so the same certificate
and key always give the same bytes.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import jwt
from flask import current_app

from compliance.credentials.keys import issuer_keys, signing_key
from compliance.models import Certificate
from compliance.models.base import utcnow
from compliance.urls import public_url

CONTEXT = ["https://www.w3.org/ns/credentials/v2",
           "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
ACHIEVEMENT_NAME = "Responsible knife sales training"


class NotABadgeError(ValueError):
    """Only current or expired staff training certificates become Open Badges."""


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def issuer_profile() -> dict[str, Any]:
    """The partnership as an Open Badges Profile."""
    config = current_app.config
    return {"id": public_url("credentials.issuer_json"), "type": ["Profile"],
            "name": config["CREDENTIAL_ISSUER_NAME"], "url": public_url("credentials.issuer"),
            "description": config["CREDENTIAL_ISSUER_DESCRIPTION"]}


def achievement() -> dict[str, Any]:
    pass_mark = int(current_app.config["QUIZ_PASS_MARK"])
    length = int(current_app.config["QUIZ_LENGTH"])
    page = public_url("credentials.issuer")
    return {
        "id": f"{page}#responsible-knife-sales-training", "type": ["Achievement"],
        "achievementType": "Certificate", "name": ACHIEVEMENT_NAME,
        "description": ("Training for shop staff on selling knives and bladed articles "
                        "responsibly and within the law in the United Kingdom: age checks, "
                        "refusals, proxy sales and record keeping."),
        "criteria": {"narrative": (
            f"Read the portal's guidance modules for the shop's jurisdiction, then pass the "
            f"{length}-question assessment with a score of at least {pass_mark}%.")},
        "resultDescription": [{
            "id": f"{page}#score", "type": ["ResultDescription"], "name": "Assessment score",
            "resultType": "Percent", "valueMin": "0", "valueMax": "100",
            "requiredValue": str(pass_mark)}],
        "creator": issuer_profile(),
    }


def build_credential(cert: Certificate) -> dict[str, Any]:
    """The OpenBadgeCredential for a staff certificate: the holder by name only, no email."""
    if cert.kind != "staff":
        raise NotABadgeError(cert.kind)
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [{"type": "IdentityObject", "identityHash": cert.holder_name,
                        "identityType": "name", "hashed": False}],
        "achievement": achievement(),
    }
    score = (cert.details or {}).get("score_percent")
    if score is not None:
        subject["result"] = [{"type": ["Result"], "value": str(score),
                              "resultDescription": achievement()["resultDescription"][0]["id"]}]
    verify_page = public_url("verify.show", code=cert.code)
    return {
        "@context": CONTEXT,
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, verify_page)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{ACHIEVEMENT_NAME}: {cert.holder_name}",
        "description": f"Certificate {cert.code}, which anyone can check at {verify_page}",
        "issuer": issuer_profile(),
        "validFrom": _iso(cert.issued_at),
        "validUntil": _iso(cert.expires_at),
        "credentialSubject": subject,
        "credentialStatus": {"id": public_url("verify.show_json", code=cert.code),
                             "type": "KnifeSalesComplianceStatusCheck"},
    }


def jwt_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The credential plus the registered JWT claims that mirror it (OB 3.0 section 8.2.4)."""
    def epoch(value: str) -> int:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())

    return credential | {"iss": credential["issuer"]["id"], "jti": credential["id"],
                         "nbf": epoch(credential["validFrom"]),
                         "exp": epoch(credential["validUntil"])}


def key_id(thumbprint: str) -> str:
    """A URI that dereferences to the JWKS holding the key."""
    return f"{public_url('credentials.jwks')}#{thumbprint}"


def issue_credential(cert: Certificate, today: date | None = None) -> str:
    """The signed VC-JWT for `cert`, with the key in force today."""
    key = signing_key(today or utcnow().date())
    return jwt.encode(jwt_claims(build_credential(cert)), key.private, algorithm="EdDSA",
                      headers={"typ": "JWT", "kid": key_id(key.thumbprint)})


def jwks() -> dict[str, Any]:
    """Every issuer key, public halves only, for /.well-known/jwks.json."""
    return {"keys": [key.jwk | {"kid": key_id(key.thumbprint), "use": "sig", "alg": "EdDSA"}
                     for key in issuer_keys()]}


def verify_credential(token: str) -> dict[str, Any]:
    """The payload of a VC-JWT signed by one of our keys; raises jwt.InvalidTokenError if not.

    Expiry is not enforced here: an expired certificate's credential is still ours, and the
    certificate's status says it has expired.
    """
    kid = jwt.get_unverified_header(token).get("kid")
    for key in issuer_keys():
        if key_id(key.thumbprint) == kid:
            return jwt.decode(token, key.public, algorithms=["EdDSA"],
                              options={"verify_exp": False, "verify_nbf": False,
                                       "verify_aud": False})
    raise jwt.InvalidSignatureError("not signed with a key this service publishes")
