"""Follow-ups: what an officer asks a shop to do after a visit, the shop's answer and the
officer's review; and the manager's page of visits to their shops."""

from flask import Blueprint

from compliance.visits.labels import template_labels

bp = Blueprint("followups", __name__, url_prefix="/visits")
bp.context_processor(template_labels)  # the visit pages' tags and labels

from compliance.followups import routes  # noqa: E402,F401
