"""Admin pages: every view here is for admins only."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from compliance.admin import audit_text, bp, services
from compliance.admin.forms import AgencyForm, AuditFilterForm, NewUserForm
from compliance.auth.permissions import role_required
from compliance.auth.services import EmailTaken
from compliance.extensions import db
from compliance.forms import ConfirmForm, choices
from compliance.i18n import gettext as _
from compliance.mail import queued_mailer
from compliance.models import Agency, AgencyKind, Role, User
from compliance.models.base import utcnow
from compliance.training.services import module_reviews
from compliance.urls import public_url
from compliance.web import current_actor, page_arg


@bp.before_request
@role_required(Role.ADMIN)
def _admins_only():
    """Every admin route: admins only, checked once for the whole blueprint."""


@bp.route("/")
def index():
    return redirect(url_for("admin.users"))


@bp.route("/users")
def users():
    role_arg = request.args.get("role", "")
    role = Role(role_arg) if role_arg in {r.value for r in Role} else None
    pagination = services.list_users(role, page_arg(), current_app.config["PAGE_SIZE"],
                                     current_app.config["LIST_COUNT_CAP"])
    return render_template("admin/users.html", pagination=pagination, role=role, roles=list(Role))


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = NewUserForm()
    form.agency.choices = choices([(0, _("Not an officer"))] + [
        (a.id, a.name) for a, _n in services.list_agencies()])
    if form.validate_on_submit():
        try:
            user = services.create_user(
                name=form.name.data, email=form.email.data, role=Role(form.role.data),
                agency_id=form.agency.data or None, actor=current_actor())
        except EmailTaken:
            form.email.errors.append(_("An account already uses this email address"))
        else:
            services.email_setup_link(
                user, mailer=queued_mailer(), actor=current_actor(),
                link_for=lambda raw: public_url("auth.set_up_account", token=raw))
            db.session.commit()
            flash(_("Account created. %(email)s has been emailed a link to set a password.",
                    email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/new_user.html", form=form)


@bp.route("/users/<int:user_id>/status", methods=["GET", "POST"])
def user_status(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.id == current_actor().user_id:
        abort(403)  # an admin cannot lock themselves out
    form = ConfirmForm()
    if form.validate_on_submit():
        services.set_user_active(user, not user.active, current_actor())
        db.session.commit()
        flash(_("Account updated"), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_status.html", form=form, user=user)


@bp.route("/agencies")
def agencies():
    return render_template("admin/agencies.html", agencies=services.list_agencies())


@bp.route("/agencies/new", methods=["GET", "POST"])
@bp.route("/agencies/<int:agency_id>/edit", methods=["GET", "POST"])
def edit_agency(agency_id: int | None = None):
    agency = db.get_or_404(Agency, agency_id) if agency_id else None
    form = AgencyForm(obj=agency if request.method == "GET" else None)
    if request.method == "GET" and agency:
        form.kind.data = agency.kind.value
    if form.validate_on_submit():
        try:
            services.save_agency(agency, name=form.name.data, kind=AgencyKind(form.kind.data),
                                 actor=current_actor())
        except services.AgencyNameTaken:
            form.name.errors.append(_("An agency with this name already exists"))
        else:
            db.session.commit()
            flash(_("Agency saved"), "success")
            return redirect(url_for("admin.agencies"))
    return render_template("admin/agency_form.html", form=form, agency=agency)


@bp.route("/content-reviews")
def content_reviews():
    today = utcnow().date()
    reviews = module_reviews(today, current_app.config["CONTENT_REVIEW_DAYS"])
    return render_template("admin/content_reviews.html", reviews=reviews, today=today,
                           overdue=sum(r.overdue for r in reviews))


@bp.route("/audit")
def audit_log():
    form = AuditFilterForm(formdata=request.args if request.args else None)
    actions = audit_text.action_choices(audit_text.ACTIONS)  # every action the portal records
    form.action.choices = choices([("", _("Any action")), *actions])
    criteria = services.AuditFilter()
    if request.args and form.validate():
        criteria = services.AuditFilter(action=form.action.data or None,
                                        actor_email=form.actor.data or None,
                                        since=form.since.data, until=form.until.data)
    pagination = services.audit_page(criteria, page_arg(), current_app.config["PAGE_SIZE"],
                                     current_app.config["LIST_COUNT_CAP"])
    return render_template("admin/audit.html", form=form, pagination=pagination,
                           events=audit_text.describe(list(pagination.items)))
