"""The start page, each role's home page, account details and the health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from compliance.main import routes  # noqa: E402,F401
