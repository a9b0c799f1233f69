"""Certificates: staff and premises certificates, and the public verify page."""

from flask import Blueprint

bp = Blueprint("certificates", __name__, url_prefix="/certificates")
verify_bp = Blueprint("verify", __name__, url_prefix="/verify")

from compliance.certificates import routes, verify_routes  # noqa: E402,F401
