"""Loading a follow-up for a view, then checking the signed-in user may see it: 404, then 403."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from compliance.auth.permissions import can_edit_visit, can_view_follow_up
from compliance.followups import services as followups
from compliance.models import FollowUp


def follow_up_or_404(follow_up_id: int) -> FollowUp:
    follow_up = followups.load_follow_up(follow_up_id)
    if follow_up is None or follow_up.visit.status != "submitted" and not \
            can_edit_visit(current_user, follow_up.visit):
        abort(404)
    if not can_view_follow_up(current_user, follow_up, follow_up.premises):
        abort(403)
    return follow_up
