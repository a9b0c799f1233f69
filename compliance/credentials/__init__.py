"""Open Badges 3.0 credentials for training certificates, signed as VC-JWTs (EdDSA, Ed25519).

Entry points: `issue_credential(cert) -> str` builds and signs; the blueprint publishes the
issuer's keys at /.well-known/jwks.json and the issuer profile.
"""

from flask import Blueprint

bp = Blueprint("credentials", __name__)

from compliance.credentials import routes  # noqa: E402,F401
from compliance.credentials.services import issue_credential  # noqa: E402
from compliance.credentials.statement import signed_statement  # noqa: E402

bp.add_app_template_global(signed_statement)

__all__ = ["bp", "issue_credential"]
