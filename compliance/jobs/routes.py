"""Background jobs for admins: what is dead or waiting, and a retry button."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for

from compliance.auth.permissions import role_required
from compliance.extensions import db
from compliance.forms import ConfirmForm
from compliance.i18n import gettext as _
from compliance.jobs import services
from compliance.models import JobOutbox, Role
from compliance.web import current_actor, page_arg

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")


@bp.before_request
@role_required(Role.ADMIN)
def _admins_only():
    """Every route here: admins only."""


@bp.route("/")
def index():
    pagination = services.needing_attention(page_arg(), current_app.config["PAGE_SIZE"],
                                            current_app.config["LIST_COUNT_CAP"])
    return render_template("jobs/index.html", pagination=pagination, counts=services.counts(),
                           form=ConfirmForm())


@bp.route("/<int:job_id>/retry", methods=["POST"])
def retry(job_id: int):
    job = db.get_or_404(JobOutbox, job_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.retry(job, current_actor())
    except services.NotDead:
        flash(_("That job is not dead: it is retried on its own."), "info")
        return redirect(url_for("jobs.index"))
    db.session.commit()
    flash(_("Job %(id)s will run again.", id=job_id), "success")
    return redirect(url_for("jobs.index"))
