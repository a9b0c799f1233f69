"""The premises profile (managers) and the checklist editor (admins)."""

from flask import abort, flash, redirect, render_template, request, url_for

from compliance.assessments import bp, checklist
from compliance.assessments.forms import ChecklistItemForm, ProfileForm
from compliance.assessments.profile import Profile, update_profile
from compliance.auth.permissions import can_manage_retailer, role_required
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.models import Jurisdiction, Role
from compliance.web import current_actor, premises_or_404, safe_next


def _can_change_profile(user, premises) -> bool:
    return can_manage_retailer(user, premises.retailer)


@bp.route("/premises/<int:premises_id>/profile", methods=["GET", "POST"])
@role_required(Role.MANAGER, Role.ADMIN)
def profile(premises_id: int):
    premises = premises_or_404(premises_id, _can_change_profile)
    form = ProfileForm(data=None if request.method == "POST" else {
        "jurisdiction": premises.jurisdiction.value,
        "sells_remotely": "yes" if premises.sells_remotely else "no",
        "click_and_collect": "yes" if premises.click_and_collect else "no",
        "stock_kinds": list(premises.stock_kinds or [])})
    if form.validate_on_submit():
        update_profile(premises, Profile(
            jurisdiction=Jurisdiction(form.jurisdiction.data),
            sells_remotely=form.sells_remotely.data == "yes",
            click_and_collect=form.click_and_collect.data == "yes",
            stock_kinds=list(form.stock_kinds.data)), current_actor())
        db.session.commit()
        flash(_("Premises profile saved"), "success")
        default = url_for("assessments.index", premises_id=premises.id)
        return redirect(safe_next(request.args.get("next"), default))
    return render_template("assessments/profile.html", premises=premises, form=form)


@bp.route("/admin/checklist/")
@role_required(Role.ADMIN)
def checklist_index():
    items = checklist.current_items()
    return render_template("assessments/checklist_index.html", items=items,
                           weights=checklist.WEIGHTS, applicability=checklist.APPLICABILITY,
                           bases=checklist.BASES)


def _item_data(item) -> dict:
    return {"question": item.question, "officer_check": item.officer_check, "why": item.why,
            "how_to_fix": item.how_to_fix, "weight": item.weight,
            "applicability": item.applicability, "sources": ", ".join(item.source_tags),
            "note": item.note or "", "basis": item.basis}


@bp.route("/admin/checklist/<key>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def checklist_edit(key: str):
    try:
        item = checklist.get_current(key)
    except checklist.UnknownItem:
        abort(404)
    form = ChecklistItemForm(data=None if request.method == "POST" else _item_data(item))
    if form.validate_on_submit():
        changes = {"question": form.question.data.strip(),
                   "officer_check": form.officer_check.data.strip(),
                   "why": form.why.data.strip(), "how_to_fix": form.how_to_fix.data.strip(),
                   "weight": form.weight.data, "applicability": form.applicability.data,
                   "basis": form.basis.data,
                   "source_tags": form.source_tags(),
                   "note": (form.note.data or "").strip() or None}
        try:
            saved = checklist.edit_item(key, changes, current_actor())
        except checklist.CriticalNeedsLaw:
            form.weight.errors.append(_("Only an item that rests on the law can be Critical: "
                                        "choose another weight or basis"))
        except checklist.UnknownSources as exc:
            form.sources.errors.append(_("These source tags are not in the source list: %(t)s",
                                         t=str(exc)))
        else:
            db.session.commit()
            message = (_("Saved version %(v)s of item %(n)s", v=saved.version, n=saved.number)
                       if saved else _("Nothing changed, so no new version was saved"))
            flash(message, "success" if saved else "info")
            return redirect(url_for("assessments.checklist_index"))
    return render_template("assessments/checklist_edit.html", item=item, form=form)
