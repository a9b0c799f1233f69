"""Premises verification: an officer certifies premises after a satisfactory visit, and a
manager can ask for that visit. (A business's own self-assessment statement is issued in
`compliance.certificates`; only this package issues verified premises certificates.)"""

from flask import Blueprint

bp = Blueprint("verification", __name__, url_prefix="/verification")

from compliance.verification import routes  # noqa: E402,F401
