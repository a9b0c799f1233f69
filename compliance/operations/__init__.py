"""Operations (weeks of action such as Operation Sceptre): set-up and reports."""

from flask import Blueprint

from compliance.visits.labels import template_labels

bp = Blueprint("operations", __name__, url_prefix="/visits")
bp.context_processor(template_labels)  # the visit pages' tags and labels

from compliance.operations import routes  # noqa: E402,F401
