"""Start page, home pages, account page, health check."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from compliance import todo
from compliance.auth.permissions import role_required
from compliance.extensions import db
from compliance.forms import ConfirmForm
from compliance.i18n import gettext as _
from compliance.main import bp
from compliance.main.services import home_summary
from compliance.models import Membership, Retailer, Role
from compliance.todo.items import OPEN
from compliance.todo.managers import premises_page as todo_premises_page
from compliance.web import current_actor, page_arg


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/start.html")
    page = page_arg()
    premises = (todo_premises_page(current_user, page)
                if current_user.role == Role.MANAGER and current_user.retailer_id else None)
    items = todo.for_user(current_user, page, premises)
    return render_template(
        "main/home.html", summary=home_summary(current_user, premises and premises.total),
        todo_groups=todo.groups(items),
        open_count=sum(i.severity in OPEN for i in items), premises_page=premises,
        chase_form=ConfirmForm() if current_user.role == Role.MANAGER else None)


@bp.route("/account")
@role_required(*Role)
def account():
    from compliance.business.memberships import workplaces

    return render_template("main/account.html", summary=home_summary(current_user),
                           workplaces=workplaces(current_user), switch_form=ConfirmForm())


@bp.route("/account/workplaces/<int:membership_id>", methods=["POST"])
@role_required(Role.STAFF)
def switch_workplace(membership_id: int):
    """A member of staff of several businesses chooses the one they are working for now."""
    from compliance.business.memberships import switch_workplace as switch

    membership = db.get_or_404(Membership, membership_id)
    if membership.user_id != current_user.id:
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    switch(current_user, membership, current_actor())
    db.session.commit()
    business = db.session.get_one(Retailer, membership.retailer_id).name
    flash(_("You are now working for %(business)s.", business=business), "success")
    return redirect(url_for("main.account"))


@bp.route("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/healthz")
def healthz():
    """200 when the database answers a query, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
