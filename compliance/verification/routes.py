"""Verification pages: the officer's check-and-issue page, the manager's request page."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from compliance.auth.permissions import can_edit_visit, can_manage_retailer, role_required
from compliance.certificates.services import NotEligible
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.models import Premises, Retailer, Role
from compliance.urls import verify_url
from compliance.verification import bp, services
from compliance.verification.forms import RequestVisitForm, VerifyPremisesForm
from compliance.visits.services import load_visit
from compliance.web import current_actor


def _verifiable_visit_or_404(visit_id: int):
    visit = load_visit(visit_id)
    if visit is None:
        abort(404)
    if not (current_user.role == Role.ADMIN and visit.status == "submitted"
            or can_edit_visit(current_user, visit)):
        abort(403)
    return visit


@bp.route("/visits/<int:visit_id>", methods=["GET", "POST"])
@role_required(Role.OFFICER, Role.ADMIN)
def verify_premises(visit_id: int):
    visit = _verifiable_visit_or_404(visit_id)
    form = VerifyPremisesForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            cert = services.issue_verified_certificate(visit, actor=current_actor(),
                                                       verify_url=verify_url)
        except NotEligible as exc:
            problems = exc.reasons
        else:
            db.session.commit()
            flash(_("Verified premises certificate %(code)s issued", code=cert.code), "success")
            return redirect(url_for("certificates.detail", code=cert.code))
    return render_template("verification/verify.html", visit=visit, form=form,
                           problems=problems, check=services.check_visit(visit))


@bp.route("/premises/<int:premises_id>/request", methods=["GET", "POST"])
@role_required(Role.MANAGER, Role.ADMIN)
def request_visit(premises_id: int):
    premises = db.get_or_404(Premises, premises_id)
    if not can_manage_retailer(current_user, db.session.get_one(Retailer, premises.retailer_id)):
        abort(403)
    back = url_for("certificates.premises_certificate", premises_id=premises.id)
    if services.open_request(premises.id) is not None:
        flash(_("A verification visit has already been asked for"), "info")
        return redirect(back)
    form = RequestVisitForm()
    if form.validate_on_submit():
        try:
            services.request_visit(premises, form.reason.data, current_actor())
        except services.AlreadyRequested:  # a double click, or another manager just now
            db.session.rollback()
            flash(_("A verification visit has already been asked for"), "info")
            return redirect(back)
        db.session.commit()
        flash(_("Verification visit asked for. Officers see it on their priority list."),
              "success")
        return redirect(back)
    return render_template("verification/request.html", premises=premises, form=form,
                           back=back)
