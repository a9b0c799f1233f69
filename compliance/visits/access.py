"""Loading a record for a view, then checking the signed-in user may see it: 404, then 403."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from compliance.auth.permissions import (
    can_edit_visit,
    can_view_follow_up,
    can_view_visit,
    can_view_visit_summary,
)
from compliance.models import FollowUp, Operation, Premises, Visit
from compliance.visits import followups, operations, services
from compliance.visits.premises import premises_with_retailer


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


def follow_up_or_404(follow_up_id: int) -> FollowUp:
    follow_up = followups.load_follow_up(follow_up_id)
    if follow_up is None or follow_up.visit.status != "submitted" and not \
            can_edit_visit(current_user, follow_up.visit):
        abort(404)
    if not can_view_follow_up(current_user, follow_up, follow_up.premises):
        abort(403)
    return follow_up


def premises_or_404(premises_id: int) -> Premises:
    premises = premises_with_retailer(premises_id)
    if premises is None:
        abort(404)
    return premises


def operation_or_404(operation_id: int) -> Operation:
    operation = operations.get_operation(operation_id)
    if operation is None:
        abort(404)
    return operation
