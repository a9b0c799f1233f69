"""A short signed statement of what the verify page says, for checks without a signal.

An officer's phone that has cached /.well-known/jwks.json can check it offline: it is a
compact JWS (EdDSA) signed with the credential key in force, stating the certificate's facts
and its status at the moment the page was shown.
"""

from __future__ import annotations

import jwt
from flask import current_app

from compliance.credentials.keys import CredentialKeysMissingError, signing_key
from compliance.credentials.services import key_id
from compliance.models import Certificate
from compliance.models.base import utcnow
from compliance.urls import PublicBaseURLError


def signed_statement(cert: Certificate, status: str) -> str | None:
    """The statement, or None when credential keys are not configured (nothing to show)."""
    now = utcnow()
    claims = {"code": cert.code, "kind": cert.kind, "holder": cert.holder_name,
              "business": cert.business_name, "premises": cert.premises_name,
              "valid_until": cert.expires_at.date().isoformat(), "status": status,
              "iat": int(now.timestamp())}
    try:
        key = signing_key(now.date())
        return jwt.encode(claims, key.private, algorithm="EdDSA",
                          headers={"typ": "JWT", "kid": key_id(key.thumbprint)})
    except (CredentialKeysMissingError, PublicBaseURLError):
        current_app.logger.warning("No signed statement: credential keys not configured")
        return None
