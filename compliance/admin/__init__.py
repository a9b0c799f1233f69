"""Administration: officer and admin accounts, agencies, the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from compliance.admin import routes  # noqa: E402,F401
