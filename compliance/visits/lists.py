"""An officer's visits board and the list of visits (managers go to their follow-ups)."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user

from compliance.areas import agency_choices, parse_filters
from compliance.auth.permissions import role_required
from compliance.models import Role
from compliance.priorities.services import priority_list
from compliance.visits import bp, listing, queries
from compliance.web import page_arg

OFFICERS = (Role.OFFICER, Role.ADMIN)
DASHBOARD_PRIORITIES = 5  # the top of the list; the priorities page has the rest


@bp.route("/")
@role_required(Role.OFFICER, Role.ADMIN, Role.MANAGER)
def dashboard():
    if current_user.role == Role.MANAGER:
        return redirect(url_for("followups.shop"))
    return render_template("visits/dashboard.html", board=queries.dashboard(current_user),
                           priorities=priority_list(current_user, limit=DASHBOARD_PRIORITIES))


@bp.route("/list")
@role_required(*OFFICERS)
def visit_list():
    search = request.args.get("q", "")[:100]
    filters = parse_filters(request.args.get("district"), request.args.get("agency"),
                            current_user)
    pagination = listing.visit_list(current_user, search, page_arg(),
                                    current_app.config["PAGE_SIZE"], filters,
                                    cap=current_app.config["VISIT_SEARCH_COUNT_CAP" if search
                                                           else "VISIT_LIST_COUNT_CAP"])
    return render_template("visits/list.html", pagination=pagination, search=search,
                           filters=filters, agencies=agency_choices(current_user))
