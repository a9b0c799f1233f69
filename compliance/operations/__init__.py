"""Operations (weeks of action such as Operation Sceptre): set-up and reports."""

from flask import Blueprint

bp = Blueprint("operations", __name__, url_prefix="/visits")

from compliance.operations import routes  # noqa: E402,F401
