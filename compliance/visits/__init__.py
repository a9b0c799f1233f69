"""Officer visits: recording a shop visit or test purchase, its history and its summary."""

from flask import Blueprint

bp = Blueprint("visits", __name__, url_prefix="/visits")

from compliance.visits import lists, routes  # noqa: E402,F401
