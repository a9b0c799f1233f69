"""Business pages. Each view: load, check access, call a service, commit, redirect."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from compliance.assessments.history import latest_submitted
from compliance.auth.permissions import (
    can_manage_retailer,
    can_manage_staff_member,
    can_read_premises_records,
    can_view_premises,
    can_view_retailer,
    role_required,
)
from compliance.auth.services import EmailTaken
from compliance.business import bp, services
from compliance.business.forms import (
    InviteStaffForm,
    PremisesForm,
    RegisterBusinessForm,
)
from compliance.business.memberships import AlreadyMember
from compliance.extensions import db, limiter
from compliance.forms import ConfirmForm, choices
from compliance.i18n import gettext as _
from compliance.mail import queued_mailer
from compliance.models import Invitation, Premises, Retailer, Role, User
from compliance.shops.services import InvalidClaimCode
from compliance.urls import public_url
from compliance.web import current_actor, page_arg, start_session

ALL_ROLES = tuple(Role)


def _retailer_or_404(retailer_id: int, *, manage: bool = False) -> Retailer:
    retailer = services.business_overview(retailer_id)
    if retailer is None:
        abort(404)
    allowed = can_manage_retailer if manage else can_view_retailer
    if not allowed(current_user, retailer):
        abort(403)
    return retailer


def _premises_or_404(retailer: Retailer, premises_id: int) -> Premises:
    premises = services.premises_of(retailer.id, premises_id)
    if premises is None:
        abort(404)
    if not can_view_premises(current_user, premises):
        abort(403)
    return premises


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATION_LIMIT"], methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterBusinessForm()
    form.email_for_check = request.form.get("email", "")
    if form.validate_on_submit():
        try:
            manager = services.register_business(
                business_name=form.business_name.data, contact_name=form.contact_name.data,
                email=form.email.data, password=form.password.data,
                premises=form.premises_details(), actor=current_actor(),
                claim_code=form.claim_code.data)
        except EmailTaken:
            form.email.errors.append(_("An account already uses this email address. Sign in, "
                                       "or use a different email address."))
        except InvalidClaimCode:
            form.claim_code.errors.append(_("Enter the claim code exactly as it is printed on "
                                            "your visit summary"))
        else:
            db.session.commit()
            start_session(manager)
            flash(_("Your business is registered. You are its manager."), "success")
            return redirect(url_for("business.detail", retailer_id=manager.retailer_id))
    return render_template("business/register.html", form=form)


@bp.route("/")
@role_required(*ALL_ROLES)
def index():
    if current_user.role == Role.MANAGER:
        return redirect(url_for("business.detail", retailer_id=current_user.retailer_id))
    if current_user.role not in (Role.OFFICER, Role.ADMIN):
        abort(403)
    search = request.args.get("q", "")[:100]
    per_page = current_app.config["PAGE_SIZE"]
    rows, total = services.list_businesses(search, page_arg(), per_page)
    return render_template("business/index.html", rows=rows, total=total, search=search,
                           page=page_arg(), per_page=per_page)


@bp.route("/<int:retailer_id>")
@role_required(Role.MANAGER, Role.OFFICER, Role.ADMIN)
def detail(retailer_id: int):
    retailer = _retailer_or_404(retailer_id)
    can_manage = can_manage_retailer(current_user, retailer)
    invitations = services.open_invitations(retailer.id) if can_manage else []
    per_page = current_app.config["PAGE_SIZE"]
    return render_template(
        "business/detail.html", retailer=retailer, can_manage=can_manage,
        premises=services.premises_page(retailer.id, page_arg("premises_page"), per_page),
        people=services.people_page(retailer.id, page_arg("people_page"), per_page),
        invitations=invitations)


@bp.route("/<int:retailer_id>/premises/new", methods=["GET", "POST"])
@role_required(Role.MANAGER, Role.ADMIN)
def add_premises(retailer_id: int):
    retailer = _retailer_or_404(retailer_id, manage=True)
    form = PremisesForm()
    if form.validate_on_submit():
        premises = services.add_premises(retailer, form.premises_details())
        db.session.commit()
        flash(_("Premises %(name)s added", name=premises.name), "success")
        return redirect(url_for("business.detail", retailer_id=retailer.id))
    return render_template("business/premises_form.html", form=form, retailer=retailer,
                           premises=None)


@bp.route("/<int:retailer_id>/premises/<int:premises_id>")
@role_required(*ALL_ROLES)
def premises(retailer_id: int, premises_id: int):
    retailer = _retailer_or_404(retailer_id) if current_user.role != Role.STAFF \
        else _staff_retailer(retailer_id)
    premises = _premises_or_404(retailer, premises_id)
    staff = services.premises_staff(premises.id)
    latest = latest_submitted(premises.id) if can_read_premises_records(
        current_user, premises) else None
    return render_template("business/premises.html", retailer=retailer, premises=premises,
                           staff=staff, can_manage=can_manage_retailer(current_user, retailer),
                           latest_assessment=latest)


def _staff_retailer(retailer_id: int) -> Retailer:
    if current_user.retailer_id != retailer_id:
        abort(403)
    retailer = services.business_overview(retailer_id)
    if retailer is None:
        abort(404)
    return retailer


@bp.route("/<int:retailer_id>/premises/<int:premises_id>/edit", methods=["GET", "POST"])
@role_required(Role.MANAGER, Role.ADMIN)
def edit_premises(retailer_id: int, premises_id: int):
    retailer = _retailer_or_404(retailer_id, manage=True)
    premises = _premises_or_404(retailer, premises_id)
    form = PremisesForm(data=None if request.method == "POST" else {
        "premises_name": premises.name, "address_line_1": premises.address_line_1,
        "address_line_2": premises.address_line_2, "town": premises.town,
        "postcode": premises.postcode, "jurisdiction": premises.jurisdiction.value})
    if form.validate_on_submit():
        services.update_premises(premises, form.premises_details(), current_actor())
        db.session.commit()
        flash(_("Premises details saved"), "success")
        return redirect(url_for("business.premises", retailer_id=retailer.id,
                                premises_id=premises.id))
    return render_template("business/premises_form.html", form=form, retailer=retailer,
                           premises=premises)


def _account_key() -> str:
    return f"account:{current_user.get_id()}"


@bp.route("/<int:retailer_id>/staff/invite", methods=["GET", "POST"])
@role_required(Role.MANAGER, Role.ADMIN)
@limiter.limit(lambda: current_app.config["INVITATION_LIMIT"], methods=["POST"],
               key_func=_account_key)  # "already uses this email address" tells who has one
def invite(retailer_id: int):
    retailer = _retailer_or_404(retailer_id, manage=True)
    form = InviteStaffForm()
    form.premises.choices = choices(services.premises_choices(retailer.id))
    if form.validate_on_submit():
        try:
            services.invite_staff(
                retailer, name=form.name.data, email=form.email.data,
                premises_id=form.premises.data, mailer=queued_mailer(), actor=current_actor(),
                link_for=lambda raw: public_url("auth.accept_invitation", token=raw))
        except EmailTaken:
            form.email.errors.append(_("An account already uses this email address"))
        except AlreadyMember:
            form.email.errors.append(_("This person already works for %(business)s",
                                       business=retailer.name))
        except services.AlreadyInvited:
            form.email.errors.append(_("This person already has an invitation that has not "
                                       "expired"))
        except services.NotPermitted:
            abort(403)
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s", email=form.email.data), "success")
            return redirect(url_for("business.detail", retailer_id=retailer.id))
    return render_template("business/invite.html", form=form, retailer=retailer)


@bp.route("/<int:retailer_id>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@role_required(Role.MANAGER, Role.ADMIN)
def revoke_invitation(retailer_id: int, invitation_id: int):
    retailer = _retailer_or_404(retailer_id, manage=True)
    invitation = db.get_or_404(Invitation, invitation_id)
    if invitation.retailer_id != retailer.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.revoke_invitation(invitation, current_actor())
        db.session.commit()
        flash(_("Invitation withdrawn"), "success")
    return redirect(url_for("business.detail", retailer_id=retailer.id))


@bp.route("/<int:retailer_id>/people/<int:user_id>/status", methods=["GET", "POST"])
@role_required(Role.MANAGER, Role.ADMIN)
def member_status(retailer_id: int, user_id: int):
    retailer = _retailer_or_404(retailer_id, manage=True)
    member = db.get_or_404(User, user_id)
    if member.retailer_id != retailer.id:
        abort(404)
    if not can_manage_staff_member(current_user, member):
        abort(403)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.set_member_active(member, not member.active, current_actor())
        db.session.commit()
        message = _("%(name)s can sign in again") if member.active else \
            _("%(name)s has been deactivated. Their records are kept.")
        flash(message % {"name": member.name}, "success")
        return redirect(url_for("business.detail", retailer_id=retailer.id))
    return render_template("business/member_status.html", form=form, retailer=retailer,
                           member=member)
