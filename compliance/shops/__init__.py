"""Shops as officers find them: search, add an unregistered shop, a shop's page; and the
claim code a shop uses to register."""

from flask import Blueprint

from compliance.visits.labels import template_labels

bp = Blueprint("shops", __name__, url_prefix="/visits")
bp.context_processor(template_labels)  # the visit pages' tags and labels

from compliance.shops import routes  # noqa: E402,F401
