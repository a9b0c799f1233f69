"""Officer visits: shop visits and test purchases, follow-ups, priorities and operations."""

from flask import Blueprint

bp = Blueprint("visits", __name__, url_prefix="/visits")

from compliance.visits import routes  # noqa: E402,F401
