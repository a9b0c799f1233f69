"""Start page, home pages, account page, health check."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from compliance import todo
from compliance.auth.permissions import role_required
from compliance.extensions import db
from compliance.forms import ConfirmForm
from compliance.main import bp
from compliance.main.services import home_summary
from compliance.models import Role
from compliance.todo.items import OPEN


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/start.html")
    items = todo.for_user(current_user)
    return render_template(
        "main/home.html", summary=home_summary(current_user), todo_groups=todo.groups(items),
        open_count=sum(i.severity in OPEN for i in items),
        chase_form=ConfirmForm() if current_user.role == Role.MANAGER else None)


@bp.route("/account")
@role_required(*Role)
def account():
    return render_template("main/account.html", summary=home_summary(current_user))


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
