"""Follow-ups, from both sides: the officer raises and reviews them, the shop answers them."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from compliance import storage
from compliance.auth.permissions import (
    can_answer_follow_up,
    can_review_follow_up,
    role_required,
)
from compliance.evidence import services as evidence
from compliance.extensions import db
from compliance.followups import bp
from compliance.followups import services as followups
from compliance.followups.access import follow_up_or_404
from compliance.followups.forms import FollowUpForm, FollowUpResponseForm, FollowUpReviewForm
from compliance.followups.mail import FollowUpMail
from compliance.i18n import gettext as _
from compliance.mail import queued_mailer
from compliance.models import Retailer, Role
from compliance.urls import public_url
from compliance.visits import queries
from compliance.visits.access import visit_or_404
from compliance.web import current_actor, page_arg


def follow_up_mail() -> FollowUpMail:
    """The app's mailer, and full links to follow-up pages for the emails."""
    return FollowUpMail(queued_mailer(), lambda follow_up_id: public_url(
        "followups.follow_up", follow_up_id=follow_up_id))


@bp.route("/<int:visit_id>/follow-ups/new", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def new_follow_up(visit_id: int):
    visit = visit_or_404(visit_id, edit=True)
    form = FollowUpForm()
    if form.validate_on_submit():
        followups.raise_follow_up(visit, followups.FollowUpDetails(
            action=form.action.data, due_on=form.due_on.data,
            evidence_wanted=form.evidence_wanted.data,
            guidance_link=form.guidance_link.data), current_actor(), mail=follow_up_mail())
        db.session.commit()
        flash(_("Follow-up added. The shop's managers see it once the visit is submitted.")
              if visit.status == "draft" else _("Follow-up sent to the shop"), "success")
        return redirect(url_for("visits.detail", visit_id=visit.id))
    return render_template("followups/follow_up_new.html", form=form, visit=visit)


@bp.route("/follow-ups/<int:follow_up_id>")
@role_required(Role.OFFICER, Role.ADMIN, Role.MANAGER)
def follow_up(follow_up_id: int):
    item = follow_up_or_404(follow_up_id)
    return _render(item, FollowUpResponseForm(), FollowUpReviewForm())


def _render(item, answer_form, review_form, status: int = 200):
    return render_template(
        "followups/follow_up.html", item=item, answer_form=answer_form, review_form=review_form,
        evidence=evidence.follow_up_evidence(item.id),
        can_answer=can_answer_follow_up(current_user, item, item.premises),
        can_review=can_review_follow_up(current_user, item, item.visit)), status


@bp.route("/follow-ups/<int:follow_up_id>/answer", methods=["POST"])
@role_required(Role.MANAGER)
def answer_follow_up(follow_up_id: int):
    item = follow_up_or_404(follow_up_id)
    if not can_answer_follow_up(current_user, item, item.premises):
        flash(_("This follow-up has already been answered"), "info")
        return redirect(url_for("followups.follow_up", follow_up_id=item.id))
    form = FollowUpResponseForm()
    if not form.validate_on_submit():
        return _render(item, form, FollowUpReviewForm())
    try:
        if form.evidence.upload:
            evidence.attach_to_follow_up(item, storage.store(*form.evidence.upload),
                                         current_actor())
        followups.respond(item, form.response_note.data, current_actor(), mail=follow_up_mail())
    except followups.FollowUpError:  # answered meanwhile, by a double click or a colleague
        flash(_("This follow-up has already been answered"), "info")
        return redirect(url_for("followups.follow_up", follow_up_id=item.id))
    db.session.commit()
    flash(_("Answer sent. The officer will close the follow-up or return it to you."),
          "success")
    return redirect(url_for("followups.shop"))


@bp.route("/follow-ups/<int:follow_up_id>/review", methods=["POST"])
@role_required(Role.OFFICER)
def review_follow_up(follow_up_id: int):
    item = follow_up_or_404(follow_up_id)
    if item.status == "closed":
        flash(_("This follow-up is already closed"), "info")
        return redirect(url_for("followups.follow_up", follow_up_id=item.id))
    if not can_review_follow_up(current_user, item, item.visit):
        abort(403)
    form = FollowUpReviewForm()
    if not form.validate_on_submit():
        return _render(item, FollowUpResponseForm(), form)
    followups.review(item, form.decision.data, form.officer_note.data, current_actor(),
                     mail=follow_up_mail())
    db.session.commit()
    flash(_("Follow-up closed") if form.decision.data == "close"
          else _("Follow-up returned to the shop"), "success")
    return redirect(url_for("followups.follow_up", follow_up_id=item.id))


@bp.route("/shop")
@role_required(Role.MANAGER)
def shop():
    retailer = db.session.get(Retailer, current_user.retailer_id) \
        if current_user.retailer_id else None
    if retailer is None:
        abort(404)
    per_page = current_app.config["PAGE_SIZE"]
    follow_ups, waiting = followups.retailer_follow_ups_page(
        retailer.id, page_arg("follow_ups_page"), per_page,
        cap=current_app.config["FOLLOW_UP_LIST_COUNT_CAP"])
    return render_template("followups/shop.html", retailer=retailer,
                           visits=queries.shop_visits(retailer.id, page_arg(), per_page,
                                                      cap=current_app.config["VISIT_LIST_COUNT_CAP"]),
                           follow_ups=follow_ups, waiting=waiting)
