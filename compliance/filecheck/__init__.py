"""Check a certificate file you were sent: a public upload page, no sign-in, nothing stored."""

from flask import Blueprint

bp = Blueprint("filecheck", __name__, url_prefix="/check-a-certificate-file")

from compliance.filecheck import routes  # noqa: E402,F401
