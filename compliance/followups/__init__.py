"""Follow-ups: what an officer asks a shop to do after a visit, the shop's answer and the
officer's review; and the manager's page of visits to their shops."""

from flask import Blueprint

bp = Blueprint("followups", __name__, url_prefix="/visits")

from compliance.followups import routes  # noqa: E402,F401
