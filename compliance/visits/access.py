"""Loading a record for a view, then checking the signed-in user may see it: 404, then 403."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from compliance.auth.permissions import (
    can_edit_visit,
    can_view_visit,
    can_view_visit_summary,
)
from compliance.models import Visit
from compliance.visits import services


def visit_or_404(visit_id: int, *, edit: bool = False) -> Visit:
    visit = services.load_visit(visit_id)
    if visit is None:
        abort(404)
    allowed = can_edit_visit if edit else can_view_visit
    if not allowed(current_user, visit):
        abort(403)
    return visit


def visit_summary_or_404(visit_id: int) -> Visit:
    visit = services.load_visit(visit_id)
    if visit is None:
        abort(404)
    if not can_view_visit_summary(current_user, visit, visit.premises):
        abort(403)
    return visit
