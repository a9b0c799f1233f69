"""The officer's visit-priority list: which shops to visit next, and why."""

from flask import Blueprint

from compliance.visits.labels import template_labels

bp = Blueprint("priorities", __name__, url_prefix="/visits")
bp.context_processor(template_labels)  # the visit pages' tags and labels

from compliance.priorities import routes  # noqa: E402,F401
