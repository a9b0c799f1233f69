"""Recording a visit, section by section, on a phone. Each view: load, check, save, commit.

Follow-ups, shops, operations and priorities are packages of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from compliance import storage
from compliance.auth.permissions import (
    can_edit_visit,
    can_see_officer_only_details,
    role_required,
)
from compliance.evidence import services as evidence
from compliance.extensions import db
from compliance.followups.routes import follow_up_mail
from compliance.i18n import gettext as _
from compliance.models import Role
from compliance.operations import services as operations
from compliance.shops.access import premises_or_404
from compliance.visits import bp, editing, flow, queries, services
from compliance.visits.access import visit_or_404, visit_summary_or_404
from compliance.visits.checklist import (
    all_finding_rows,
    checklist_groups,
    finding_rows,
    group_at,
    shop_answers,
)
from compliance.visits.forms import (
    OutcomeForm,
    StartVisitForm,
    SubmitVisitForm,
    TestPurchaseForm,
    VisitDetailsForm,
    finding_answers,
    finding_uploads,
    findings_form,
    refresh_lock,
)
from compliance.visits.history import present_history
from compliance.visits.steps import section_url, step_after
from compliance.visits.timezone import uk_time, uk_today
from compliance.web import current_actor, int_arg

OFFICERS = (Role.OFFICER, Role.ADMIN)


def _operation_choices(form, visit=None) -> None:
    around = uk_time(visit.visited_at).date() if visit is not None else uk_today()
    ops = operations.operations_offered(around, visit.operation_id if visit is not None else None)
    form.operation.choices = [("", _("Not part of an operation"))] + \
        operations.operation_area_choices(ops)
    if request.method == "GET" and form.operation.data is None:
        running = operations.default_operation(ops, uk_today())
        form.operation.data = str(running.id) if running else ""


def _details(form) -> services.VisitDetails:
    operation_id, area = operations.split_operation_area(form.operation.data)
    return services.VisitDetails(
        visited_at=form.visited_at, visit_type=form.visit_type.data,
        officers_present=form.officers_present.data, operation_id=operation_id, area=area,
        person_spoken_to=form.person_spoken_to.data, person_role=form.person_role.data)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def new():
    premises = premises_or_404(int_arg("premises") or 0)
    form = StartVisitForm(data={"idempotency_key": uuid4().hex, "visit_date": uk_today(),
                                "officers_present": current_user.name}
                          if request.method == "GET" else None)
    _operation_choices(form)
    if form.validate_on_submit():
        try:
            visit, _created = services.start_visit(premises, _details(form),
                                                   form.idempotency_key.data, current_actor())
        except services.KeyInUse:
            abort(400)
        except services.OutsideOperation as exc:
            form.operation.errors.append(_outside(exc.operation))
        else:
            db.session.commit()
            return redirect(step_after(visit, flow.DETAILS))
    return render_template("visits/start.html", form=form, premises=premises)


def _outside(operation) -> str:
    return _("The visit date must be during %(name)s (%(start)s to %(end)s), or choose no "
             "operation", name=operation.name, start=operation.starts_on.strftime("%-d %B %Y"),
             end=operation.ends_on.strftime("%-d %B %Y"))


def _onwards(visit, draft_next: str) -> str:
    """Where a saved section goes: the next section of a draft, else the visit page."""
    if visit.status == "submitted" or request.args.get("change"):
        return url_for("visits.detail", visit_id=visit.id)
    return draft_next


def _save_section(visit, form, save: Callable[[services.Edit], bool], next_url: Callable,
                  template: str, **context):
    """Save one section; on a conflict or a missing reason, show it again with the input."""
    if request.method == "GET":
        form.lock_version.data = visit.lock_version
    conflict = False
    if form.validate_on_submit():
        try:
            changed = save(services.Edit(form.lock_version.data, form.reason.data))
        except services.ReasonRequired:
            form.reason.errors.append(_("Enter the reason for the change"))
        except services.OutsideOperation as exc:
            form.operation.errors.append(_outside(exc.operation))
        except services.VisitConflict:
            db.session.rollback()
            visit = visit_or_404(visit.id, edit=True)
            refresh_lock(form, visit.lock_version)
            conflict = True
        else:
            db.session.commit()
            if changed and visit.status == "submitted":
                flash(_("Visit updated. The change and its reason are in the visit's "
                        "history."), "success")
            return redirect(next_url())
    return render_template(template, visit=visit, form=form, conflict=conflict, **context)


@bp.route("/<int:visit_id>/details", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def details(visit_id: int):
    visit = visit_or_404(visit_id, edit=True)
    form = VisitDetailsForm(data=_details_data(visit) if request.method == "GET" else None)
    _operation_choices(form, visit)
    return _save_section(
        visit, form, lambda edit: editing.save_details(visit, _details(form), edit,
                                                       current_actor()),
        lambda: _onwards(visit, step_after(visit, flow.DETAILS)), "visits/details.html")


def _details_data(visit) -> dict:
    local = uk_time(visit.visited_at)
    operation = ""
    if visit.operation_id:
        operation = f"{visit.operation_id}|{visit.area}" if visit.area else \
            str(visit.operation_id)
    return {"visit_date": local.date() if local else None,
            "visit_time": local.strftime("%H:%M") if local else "",
            "visit_type": visit.visit_type, "operation": operation,
            "officers_present": visit.officers_present,
            "person_spoken_to": visit.person_spoken_to, "person_role": visit.person_role}


@bp.route("/<int:visit_id>/checklist/<int:position>", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def checklist(visit_id: int, position: int):
    visit = visit_or_404(visit_id, edit=True)
    groups = checklist_groups()
    group = group_at(groups, position)
    if group is None:
        abort(404)
    rows = finding_rows(visit, group, shop_answers(visit.premises_id))
    current = {r.item.id: (r.finding.answer, r.finding.note) for r in rows if r.finding}
    context = {"group": group, "rows": rows, "groups": groups,
               "evidence": evidence.visit_evidence(visit.id)}
    form = findings_form(group.items, current if request.method == "GET" else None)

    def save(edit) -> bool:
        changed = editing.save_findings(visit, group.items, finding_answers(form, group.items),
                                        edit, current_actor())
        for key, upload in finding_uploads(form, group.items).items():
            evidence.attach_to_finding(visit, key, storage.store(*upload), current_actor())
        return changed

    return _save_section(
        visit, form, save, lambda: _onwards(visit, _after_checklist(visit, groups, position)),
        "visits/checklist.html", **context)


def _after_checklist(visit, groups, position: int) -> str:
    later = [g.position for g in groups if g.position > position]
    if later:
        return url_for("visits.checklist", visit_id=visit.id, position=later[0])
    return step_after(visit, flow.CHECKLIST)


@bp.route("/<int:visit_id>/test-purchase", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def test_purchase(visit_id: int):
    visit = visit_or_404(visit_id, edit=True)
    current = visit.test_purchases[0] if visit.test_purchases else None
    data = None
    if request.method == "GET" and current is not None:
        data = {"volunteer_age": current.volunteer_age, "item_attempted": current.item_attempted,
                "id_asked": "yes" if current.id_asked else "no",
                "sold": "sold" if current.sold else "refused",
                "staff_member": current.staff_member,
                "letter_sent": "yes" if current.letter_sent else "no"}
    form = TestPurchaseForm(data=data)
    return _save_section(
        visit, form, lambda edit: editing.save_test_purchase(visit, services.PurchaseAttempt(
            volunteer_age=form.volunteer_age.data, item_attempted=form.item_attempted.data,
            id_asked=form.id_asked.data == "yes", sold=form.sold.data == "sold",
            staff_member=form.staff_member.data, letter_sent=form.letter_sent.data == "yes"),
            edit, current_actor()),
        lambda: _onwards(visit, step_after(visit, flow.TEST_PURCHASE)),
        "visits/test_purchase.html")


@bp.route("/<int:visit_id>/outcome", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def outcome(visit_id: int):
    visit = visit_or_404(visit_id, edit=True)
    form = OutcomeForm(data={"outcome": visit.outcome, "materials": visit.materials,
                             "advice_given": visit.advice_given,
                             "officer_notes": visit.officer_notes}
                       if request.method == "GET" else None)
    return _save_section(
        visit, form, lambda edit: editing.save_outcome(visit, services.VisitOutcome(
            outcome=form.outcome.data, materials=form.materials.data or [],
            advice_given=form.advice_given.data, officer_notes=form.officer_notes.data),
            edit, current_actor()),
        lambda: _onwards(visit, step_after(visit, flow.OUTCOME)), "visits/outcome.html")


@bp.route("/<int:visit_id>")
@role_required(*OFFICERS)
def detail(visit_id: int):
    visit = visit_or_404(visit_id)
    return _render_detail(visit, SubmitVisitForm(data={"lock_version": visit.lock_version}))


def _render_detail(visit, form, missing=(), conflict: bool = False, status: int = 200):
    groups = checklist_groups()
    show_private = can_see_officer_only_details(current_user, visit)
    back = {"change": 1} if visit.status == "draft" else {}
    return render_template(
        "visits/detail.html", visit=visit, form=form, missing=missing, conflict=conflict,
        evidence=evidence.visit_evidence(visit.id),
        sections=all_finding_rows(visit, groups, shop_answers(visit.premises_id)),
        history=present_history(services.visit_history(visit.id), show_private=show_private),
        show_private=show_private, tasks=flow.tasks(visit),
        section_links={t.key: section_url(visit, t.key, **back) for t in flow.shown(visit)},
        can_edit=can_edit_visit(current_user, visit),
        first_group=groups[0].position if groups else 1), status


@bp.route("/<int:visit_id>/submit", methods=["POST"])
@role_required(Role.OFFICER)
def submit(visit_id: int):
    visit = visit_or_404(visit_id, edit=True)
    form = SubmitVisitForm()
    if not form.validate_on_submit():
        return redirect(url_for("visits.detail", visit_id=visit.id))
    try:
        submitted = services.submit_visit(visit, form.lock_version.data, current_actor(),
                                          mail=follow_up_mail())
    except services.VisitIncomplete as exc:
        return _render_detail(visit, form, missing=exc.missing, status=400)
    except services.VisitConflict:
        db.session.rollback()
        visit = visit_or_404(visit_id, edit=True)
        refresh_lock(form, visit.lock_version)  # the form holds the posted, stale version
        return _render_detail(visit, form, conflict=True, status=409)
    db.session.commit()
    if submitted:
        flash(_("Visit submitted. Print the summary to leave with the shop."), "success")
    return redirect(url_for("visits.detail", visit_id=visit.id))


@bp.route("/<int:visit_id>/summary")
@role_required(*OFFICERS, Role.MANAGER)
def summary(visit_id: int):
    visit = visit_summary_or_404(visit_id)
    return render_template("visits/summary.html", shop=queries.shop_visit(visit),
                           officer_view=current_user.role != Role.MANAGER)
