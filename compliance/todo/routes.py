"""A manager emails a member of staff to finish their training, from the home page."""

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from compliance.auth.permissions import can_manage_staff_member, role_required
from compliance.extensions import db
from compliance.forms import ConfirmForm
from compliance.i18n import gettext as _
from compliance.mail import queued_mailer
from compliance.models import Role, User
from compliance.todo import bp
from compliance.todo.chasing import chase_training


@bp.route("/staff/<int:user_id>/chase", methods=["POST"])
@role_required(Role.MANAGER)
def chase(user_id: int):
    member = db.get_or_404(User, user_id)
    if not can_manage_staff_member(current_user, member) or not member.active:
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if chase_training(member, manager=current_user, mailer=queued_mailer()):
        db.session.commit()
        flash(_("We have emailed %(name)s a reminder to finish their training.",
                name=member.name), "success")
    else:
        flash(_("%(name)s has already been reminded today.", name=member.name), "success")
    return redirect(url_for("main.index"))
