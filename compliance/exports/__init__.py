"""Prepared exports: a download too heavy to build inside a request (the refusals register as a
PDF: WeasyPrint takes seconds for a long register) is built by a background job and kept for
the person who asked, who downloads it from its own page when it is ready.

Entry point, in a view: `export = prepare(kind, params, actor)`, commit, then redirect to
`url_for("exports.show", export_id=export.id)`. A feature declares what it exports with
`register(ExportKind(...))` (see refusals/export.py).
"""

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/exports")

from compliance.exports import routes  # noqa: E402,F401
from compliance.exports.kinds import Built, ExportKind, Subject, register  # noqa: E402
from compliance.exports.services import prepare  # noqa: E402

__all__ = ["Built", "ExportKind", "Subject", "bp", "prepare", "register"]
