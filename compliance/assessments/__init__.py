"""Premises self-assessment: the checklist, drafts, scoring, history and the admin editor."""

from flask import Blueprint

# No url_prefix: the pages live under /premises/<id>/… and the editor under /admin/checklist/.
bp = Blueprint("assessments", __name__)

from compliance.assessments import admin_routes, routes  # noqa: E402,F401
