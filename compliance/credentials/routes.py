"""Public keys and issuer profile (no sign-in), and the credential download for holders."""

from flask import Response, abort, current_app, json, render_template
from flask_login import current_user

from compliance.auth.permissions import role_required
from compliance.certificates.queries import can_see, with_status
from compliance.certificates.services import find_by_code
from compliance.credentials import bp, services
from compliance.credentials.keys import CredentialKeysMissingError
from compliance.models import Role
from compliance.urls import PublicBaseURLError

_PUBLIC_CACHE = "public, max-age=3600"


def _json(document: dict, mimetype: str = "application/json") -> Response:
    response = Response(json.dumps(document, indent=2), mimetype=mimetype)
    response.headers["Cache-Control"] = _PUBLIC_CACHE
    response.headers["Access-Control-Allow-Origin"] = "*"  # wallets and verifiers fetch it
    return response


@bp.route("/.well-known/jwks.json")
def jwks():
    return _json(services.jwks())


@bp.route("/issuer.json")
def issuer_json():
    return _json({"@context": services.CONTEXT} | services.issuer_profile())


@bp.route("/issuer")
def issuer():
    return render_template("credentials/issuer.html",
                           name=current_app.config["CREDENTIAL_ISSUER_NAME"],
                           description=current_app.config["CREDENTIAL_ISSUER_DESCRIPTION"],
                           achievement=services.achievement())


@bp.route("/certificates/<code>/open-badge.jwt")
@role_required(*Role)
def download(code: str):
    cert = find_by_code(code)
    if cert is None or cert.kind != "staff":
        abort(404)
    if not can_see(current_user, cert):
        abort(403)
    (_cert, status), = with_status([cert])
    if status in ("revoked", "superseded"):
        abort(404)
    try:
        token = services.issue_credential(cert)
    except (CredentialKeysMissingError, PublicBaseURLError):
        current_app.logger.exception("Open Badges credentials are not configured")
        abort(503)
    response = Response(token, mimetype="application/jwt")
    response.headers["Content-Disposition"] = \
        f'attachment; filename="open-badge-{cert.code}.jwt"'
    return response
