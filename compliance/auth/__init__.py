"""Signing in and out, password resets, invitations."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from compliance.auth import routes  # noqa: E402,F401
