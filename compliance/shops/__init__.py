"""Shops as officers find them: search, add an unregistered shop, a shop's page; and the
claim code a shop uses to register."""

from flask import Blueprint

bp = Blueprint("shops", __name__, url_prefix="/visits")

from compliance.shops import routes  # noqa: E402,F401
