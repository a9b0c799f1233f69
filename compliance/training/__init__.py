"""Responsible-sale training: guidance modules, the quiz and the manager's matrix."""

from flask import Blueprint

bp = Blueprint("training", __name__, url_prefix="/training")

from compliance.training import citations, routes  # noqa: E402,F401  (routes, template globals)
