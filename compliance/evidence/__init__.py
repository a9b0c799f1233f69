"""Evidence files attached to follow-ups and checklist findings, and the page that serves them.

Storage itself (sniffing, size, SHA-256) is compliance.storage.
"""

from flask import Blueprint

bp = Blueprint("evidence", __name__, url_prefix="/evidence")

from compliance.evidence import routes  # noqa: E402,F401
