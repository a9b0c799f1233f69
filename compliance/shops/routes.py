"""Finding the shop to visit, or adding one that has not registered yet."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from compliance.auth.permissions import role_required
from compliance.extensions import db
from compliance.followups import services as followups
from compliance.i18n import gettext as _
from compliance.models import Role
from compliance.shops import bp
from compliance.shops import services as premises
from compliance.shops.access import premises_or_404
from compliance.shops.forms import AddPremisesForm
from compliance.visits import queries, services
from compliance.web import current_actor


@bp.route("/premises")
@role_required(Role.OFFICER, Role.ADMIN)
def find_premises():
    search = request.args.get("q", "")[:100]
    found = premises.find_premises(search)
    failed = services.premises_with_unresolved_failed_test_purchase(p.id for p in found.shops)
    return render_template("shops/find_premises.html", search=search, results=found.shops,
                           more=found.more, failed=failed)


@bp.route("/premises/new", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def add_premises():
    form = AddPremisesForm()
    if form.validate_on_submit():
        shop, created = premises.add_unregistered_premises(
            form.premises_details(), current_actor(), business_name=form.business_name.data)
        db.session.commit()
        flash(_("Shop added. Its claim code is printed on the visit summary.") if created
              else _("This shop was already added"), "success")
        return redirect(url_for("visits.new", premises=shop.id))
    return render_template("shops/add_premises.html", form=form)


@bp.route("/premises/<int:premises_id>")
@role_required(Role.OFFICER, Role.ADMIN)
def premises_page(premises_id: int):
    shop = premises_or_404(premises_id)
    return render_template(
        "shops/premises.html", shop=shop, visits=queries.premises_visits(shop.id, current_user),
        failed=services.has_unresolved_failed_test_purchase(shop.id),
        overdue=followups.overdue_counts([shop.id]).get(shop.id, 0))
