"""Training pages: modules and the manager's matrix (the quiz itself is `compliance.quiz`)."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from compliance.auth.permissions import role_required
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.models import Role
from compliance.quiz import services as quiz
from compliance.training import bp, services
from compliance.training.forms import ConfirmReadForm
from compliance.training.matrix import matrix_csv, matrix_page, training_matrix
from compliance.training.rendering import render_markdown
from compliance.web import current_actor, managed_retailer_or_404, page_arg

LEARNERS = (Role.STAFF, Role.MANAGER)


@bp.route("/")
@role_required(*Role)
def index():
    jurisdiction = services.jurisdiction_for(current_user)
    progress = services.progress(current_user)
    state = quiz.quiz_state(current_user) if current_user.role in LEARNERS else None
    return render_template("training/index.html", progress=progress, state=state,
                           jurisdiction=jurisdiction)


@bp.route("/modules/<slug>", methods=["GET", "POST"])
@role_required(*Role)
def module(slug: str):
    jurisdiction = services.jurisdiction_for(current_user)
    try:
        module = services.get_module(slug, jurisdiction)
    except services.ModuleNotFound:
        abort(404)
    form = ConfirmReadForm()
    if request.method == "POST" and current_user.role not in LEARNERS:
        abort(403)
    if form.validate_on_submit():
        services.mark_read(current_user, module, current_actor())
        db.session.commit()
        flash(_("Module marked as read: %(title)s", title=module.title), "success")
        following = services.next_unread(services.progress(current_user), module)
        if following is not None:
            return redirect(url_for("training.module", slug=following.slug))
        return redirect(url_for("training.index"))
    progress = services.progress(current_user)
    return render_template(
        "training/module.html", module=module, form=form,
        body=render_markdown(module.body_markdown),
        sources=services.sources_for(module.source_tags), jurisdiction=jurisdiction,
        note=module.jurisdiction_notes.get(jurisdiction.value), progress=progress,
        is_read=module.slug in progress.read)


@bp.route("/matrix")
@role_required(Role.MANAGER, Role.ADMIN)
def matrix():
    retailer = managed_retailer_or_404()
    return render_template("training/matrix.html", retailer=retailer,
                           rows=matrix_page(retailer.id, page_arg(),
                                            current_app.config["PAGE_SIZE"]))


@bp.route("/matrix.csv")
@role_required(Role.MANAGER, Role.ADMIN)
def matrix_download():
    retailer = managed_retailer_or_404()
    return Response(matrix_csv(training_matrix(retailer.id)), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="training-matrix-{retailer.id}.csv"'})
