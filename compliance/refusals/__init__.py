"""The digital refusals register: record, correct, sign off weekly, export for officers."""

from flask import Blueprint

# No url_prefix: the register lives under /premises/<id>/refusals/, plus /refusals/record.
bp = Blueprint("refusals", __name__)

from compliance.refusals import routes  # noqa: E402,F401
