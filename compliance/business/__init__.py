"""Businesses: registration, premises and staff."""

from flask import Blueprint

bp = Blueprint("business", __name__, url_prefix="/businesses")

from compliance.business import routes  # noqa: E402,F401
