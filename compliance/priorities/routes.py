"""The visit-priority list (HTTP only; the ranking is in services)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user

from compliance.auth.permissions import role_required
from compliance.models import Role
from compliance.priorities import bp
from compliance.priorities.services import priority_list
from compliance.web import page_arg


@bp.route("/priorities")
@role_required(Role.OFFICER, Role.ADMIN)
def index():
    rows = priority_list(current_user)
    per_page, page = current_app.config["PAGE_SIZE"], page_arg()
    shown = rows[(page - 1) * per_page: page * per_page]
    return render_template("priorities/priorities.html", rows=shown, total=len(rows), page=page,
                           per_page=per_page)
