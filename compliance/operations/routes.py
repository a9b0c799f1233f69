"""Operations (admins set them up), their reports, and the visit-priority list."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from compliance import exports
from compliance.auth.permissions import role_required
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.i18n import ngettext
from compliance.models import Operation, Role
from compliance.operations import bp, reports
from compliance.operations import services as operations
from compliance.operations.charts import bar_chart
from compliance.operations.forms import OperationForm
from compliance.operations.prepared import REPORT_CSV
from compliance.web import current_actor, page_arg

OFFICERS = (Role.OFFICER, Role.ADMIN)


@bp.route("/operations")
@role_required(*OFFICERS)
def operation_list():
    pagination = operations.operation_page(page_arg(), current_app.config["PAGE_SIZE"],
                                           current_app.config["LIST_COUNT_CAP"])
    return render_template("operations/operations.html", operations=pagination.items,
                           pagination=pagination)


@bp.route("/operations/new", methods=["GET", "POST"])
@bp.route("/operations/<int:operation_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_operation(operation_id: int | None = None):
    operation = operation_or_404(operation_id) if operation_id else None
    data = None
    if operation is not None and request.method == "GET":
        data = {"name": operation.name, "starts_on": operation.starts_on,
                "ends_on": operation.ends_on, "areas": "\n".join(operation.areas)}
    form = OperationForm(data=data)
    if form.validate_on_submit():
        try:
            operations.save_operation(operation, operations.OperationDetails(
                name=form.name.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                areas=operations.parse_areas(form.areas.data)), current_actor())
        except operations.OperationNameTaken:
            form.name.errors.append(_("An operation with this name already exists"))
        except operations.OperationExcludesVisits as exc:
            form.starts_on.errors.append(ngettext(
                "%(num)s visit assigned to this operation is outside these dates: change "
                "its operation first, or choose dates that include it",
                "%(num)s visits assigned to this operation are outside these dates: change "
                "their operation first, or choose dates that include them", exc.count))
        else:
            db.session.commit()
            flash(_("Operation saved"), "success")
            return redirect(url_for("operations.operation_list"))
    return render_template("operations/operation_form.html", form=form, operation=operation)


def _area(operation) -> str | None:
    area = request.args.get("area") or None
    if area is not None and area not in operation.areas:
        abort(404)
    return area


@bp.route("/operations/<int:operation_id>/report")
@role_required(*OFFICERS)
def operation_report(operation_id: int):
    operation = operation_or_404(operation_id)
    report = reports.operation_report(operation, _area(operation), advice_page=page_arg())
    charts = {
        "outcomes": bar_chart("chart-outcomes", _("Outcomes of visits"), report.outcomes),
        "purchases": bar_chart("chart-purchases", _("Test purchases"), report.purchase_counts),
        "materials": bar_chart("chart-materials", _("Materials given"), report.materials),
    }
    return render_template("operations/report.html", report=report, charts=charts)


@bp.post("/operations/<int:operation_id>/report.csv")
@role_required(*OFFICERS)
def prepare_report_csv(operation_id: int):
    """The CSV is written by a job (operations/prepared.py): a national week's is half a
    million rows, minutes of work. Its page (compliance/exports) offers it when ready."""
    operation = operation_or_404(operation_id)
    area = _area(operation)
    # Officer-only notes leave the portal only for an admin who asks for them.
    notes = current_user.role == Role.ADMIN and request.args.get("notes") == "1"
    if notes:
        reports.record_notes_export(operation, area, current_actor())
    prepared = exports.prepare(REPORT_CSV.name, {"operation_id": operation.id, "area": area,
                                                 "notes": notes}, current_actor())
    db.session.commit()
    return redirect(url_for("exports.show", export_id=prepared.id))


def operation_or_404(operation_id: int) -> Operation:
    operation = operations.get_operation(operation_id)
    if operation is None:
        abort(404)
    return operation
