"""The officer's visit-priority list: which shops to visit next, and why."""

from flask import Blueprint

bp = Blueprint("priorities", __name__, url_prefix="/visits")

from compliance.priorities import routes  # noqa: E402,F401
