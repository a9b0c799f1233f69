"""Sign in and out, reset a password, accept an invitation. HTTP only: rules live in services."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user

from compliance.auth import bp, services
from compliance.auth.forms import (
    AcceptInvitationForm,
    ForgotPasswordForm,
    ResetPasswordForm,
    SetUpAccountForm,
    SignInForm,
)
from compliance.extensions import db, limiter
from compliance.forms import ConfirmForm
from compliance.i18n import gettext as _
from compliance.mail import queued_mailer
from compliance.models import User
from compliance.urls import public_url
from compliance.web import current_actor, safe_next, start_session

SIGN_IN_ERROR = ("Enter a correct email address and password. After 10 failed attempts, "
                 "signing in to the account is paused for 15 minutes.")


def _account_key() -> str:
    return "account:" + services.normalise_email(request.form.get("email", ""))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=_account_key)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, current_actor())
        except services.SignInFailed:
            db.session.commit()  # keep the failure count and the audit entry
            form.email.errors.append(_(SIGN_IN_ERROR))
        else:
            db.session.commit()
            start_session(user)
            return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    if current_user.is_authenticated:
        services.sign_out(current_user._get_current_object(), current_actor())
        db.session.commit()
        logout_user()
    flash(_("You have signed out"), "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.start_password_reset(
            form.email.data, mailer=queued_mailer(), actor=current_actor(),
            link_for=lambda raw: public_url("auth.reset_password", token=raw))
        db.session.commit()
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        reset = services.usable_reset(token)
    except services.InvalidLink:
        return render_template("auth/link_invalid.html"), 404
    form = ResetPasswordForm()
    form.email_for_check = db.session.get_one(User, reset.user_id).email
    if form.validate_on_submit():
        try:
            services.complete_password_reset(token, form.password.data, current_actor())
        except services.InvalidLink:  # used meanwhile by a concurrent request
            return render_template("auth/link_invalid.html"), 404
        db.session.commit()
        logout_user()
        flash(_("Your password has been changed. Sign in with your new password."), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/account/set-up/<token>", methods=["GET", "POST"])
def set_up_account(token: str):
    """Where a new officer's or admin's set-up email leads: choose a first password."""
    try:
        reset = services.usable_reset(token)
    except services.InvalidLink:
        return render_template("auth/link_invalid.html", setup=True), 404
    user = db.session.get_one(User, reset.user_id)
    form = SetUpAccountForm()
    form.email_for_check = user.email
    if form.validate_on_submit():
        try:
            services.complete_password_reset(token, form.password.data, current_actor(),
                                             setting_up=True)
        except services.InvalidLink:
            return render_template("auth/link_invalid.html", setup=True), 404
        db.session.commit()
        logout_user()
        flash(_("Your account is set up. Sign in with %(email)s and your new password.",
                email=user.email), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/set_up_account.html", form=form, user=user)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = services.usable_invitation(token)
    except services.InvalidLink:
        return render_template("auth/link_invalid.html", invitation=True), 404
    existing = services.find_user_by_email(invitation.email)
    if existing is not None:
        return _join_existing(token, invitation, existing)
    form = AcceptInvitationForm()
    form.email_for_check = invitation.email
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token, form.password.data, current_actor())
        except services.InvalidLink:  # accepted meanwhile by a concurrent request
            return render_template("auth/link_invalid.html", invitation=True), 404
        except services.EmailTaken:
            form.password.errors.append(_("An account already uses this email address. "
                                          "Sign in, or reset your password."))
        else:
            db.session.commit()
            start_session(user)
            flash(_("Your account has been created"), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation)


def _join_existing(token: str, invitation, existing: User):
    """An invitation to someone who has an account: they sign in, then accept."""
    from compliance.business import memberships  # business builds on auth

    if not current_user.is_authenticated:
        return render_template("auth/join_sign_in.html", invitation=invitation,
                               sign_in=url_for("auth.sign_in", next=request.path))
    if current_user.id != existing.id:
        return render_template("auth/join_wrong_account.html", invitation=invitation), 403
    form = ConfirmForm()
    business = invitation.retailer.name
    if form.validate_on_submit():
        try:
            memberships.join_from_invitation(token, current_user, current_actor())
        except (services.InvalidLink, memberships.AlreadyMember):
            return render_template("auth/link_invalid.html", invitation=True), 404
        db.session.commit()
        flash(_("You now work for %(business)s as well. Choose where you are working on "
                "your account page.", business=business), "success")
        return redirect(url_for("main.account"))
    return render_template("auth/join_business.html", form=form, invitation=invitation)
