"""The visit-priority list (HTTP only; the ranking is in services)."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from compliance.areas import agency_choices, parse_filters
from compliance.auth.permissions import role_required
from compliance.models import Role
from compliance.priorities import bp
from compliance.priorities.services import priority_page
from compliance.web import page_arg


@bp.route("/priorities")
@role_required(Role.OFFICER, Role.ADMIN)
def index():
    filters = parse_filters(request.args.get("district"), request.args.get("agency"),
                            current_user)
    pagination = priority_page(current_user, page_arg(), current_app.config["PAGE_SIZE"],
                               filters)
    return render_template("priorities/priorities.html", pagination=pagination,
                           filters=filters, agencies=agency_choices(current_user))
