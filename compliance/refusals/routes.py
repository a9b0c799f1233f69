"""Refusals register pages: record (on a phone), list, correct, weekly sign-off, CSV and PDF.

Each view loads the premises, checks access to it, calls one service, commits, redirects.
"""

from datetime import date, timedelta

from flask import (
    Response,
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
from compliance.auth.permissions import (
    can_correct_refusal,
    can_read_premises_records,
    can_record_refusal,
    is_premises_manager,
    role_required,
)
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.i18n import ngettext
from compliance.models import Premises, Role
from compliance.models.base import utcnow
from compliance.refusals import bp, clock, export, pdf, services, signoff
from compliance.refusals.forms import SignOffForm, WeeksSignOffForm, initial_time, refusal_form
from compliance.web import current_actor, page_arg, premises_or_404

BASE = "/premises/<int:premises_id>/refusals"
SHOP = (Role.STAFF, Role.MANAGER)
READERS = (Role.MANAGER, Role.OFFICER, Role.ADMIN)


@bp.app_template_filter("uk_time")
def uk_time(value) -> str:
    return clock.to_uk(value).strftime("%-d %B %Y, %H:%M") if value else ""


def _can_see_register(user, premises: Premises) -> bool:
    """Staff see their own entries; the rest is checked per entry in the service query."""
    return can_read_premises_records(user, premises) or can_record_refusal(user, premises)


@bp.route("/refusals/record")
@role_required(*SHOP)
def record_start():
    """The staff navigation's "Record a refusal": the form for their premises."""
    if current_user.role == Role.MANAGER or current_user.premises_id is None:
        return redirect(url_for("business.index"))
    return redirect(url_for(".new", premises_id=current_user.premises_id))


@bp.route(f"{BASE}/")
@role_required(*Role)
def index(premises_id: int):
    premises = premises_or_404(premises_id, _can_see_register)
    everything = can_read_premises_records(current_user, premises)
    pagination, entries = services.register_page(
        premises.id, page_arg(), current_app.config["PAGE_SIZE"],
        only_user_id=None if everything else current_user.id)
    weeks = signoff.weeks(premises) if everything else []
    correctable = {e.refusal.id for e in entries if not e.corrected
                   and can_correct_refusal(current_user, e.refusal, premises)}
    return render_template("refusals/index.html", premises=premises, entries=entries,
                           pagination=pagination, weeks=weeks, everything=everything,
                           reasons=services.REASONS, correctable=correctable,
                           can_sign_off=is_premises_manager(current_user, premises),
                           can_record=can_record_refusal(current_user, premises))


def _initial(refusal=None) -> dict:
    if refusal is None:
        return {**initial_time(utcnow()), "refused_by": current_user.id}
    return {**initial_time(refusal.occurred_at), "product": refusal.product,
            "reason": refusal.reason,
            "description": refusal.description or "", "refused_by": refusal.refused_by_id}


def _day(moment) -> str:
    local = clock.to_uk(moment)
    return f"{local.day} {local:%B %Y}"


def _time_message(exc: Exception, premises: Premises) -> str:
    if isinstance(exc, services.TimeBeforeJoining):
        return _("Date of the refusal must be the same as or after %(day)s, when %(name)s "
                 "joined the service", day=_day(exc.earliest), name=premises.name)
    if isinstance(exc, services.TimeTooLongAgo):
        return _("Date of the refusal must be the same as or after %(day)s: refusals can be "
                 "recorded up to %(n)s days after they happen", day=_day(exc.earliest),
                 n=exc.days)
    return _("The date and time of the refusal must be in the past")


def _save(premises: Premises, form, corrects=None) -> Response | None:
    """Record the entry from a valid form; None (with the form's errors set) when refused."""
    details = services.RefusalDetails(
        occurred_at=form.when(), product=form.product.data, reason=form.reason.data,
        description=form.description.data, refused_by_id=form.refused_by.data)
    try:
        refusal = services.record(
            premises, details, current_actor(), corrects=corrects,
            correction_reason=form.correction_reason.data if corrects is not None else None,
            max_days_back=current_app.config["REFUSAL_MAX_DAYS_BACK"])
    except (services.TimeInFuture, services.TimeBeforeJoining, services.TimeTooLongAgo) as exc:
        form.occurred_at.errors.append(_time_message(exc, premises))
        return None
    except services.NotPermitted:
        form.refused_by.errors.append(_("Select who refused the sale"))
        return None
    except services.AlreadyCorrected as exc:
        flash(_("Entry %(old)s has already been corrected by entry %(new)s. Correct that one "
                "instead.", old=corrects.id, new=exc.newer.id))
        return redirect(url_for(".index", premises_id=premises.id))
    db.session.commit()
    message = (_("Correction saved as entry %(n)s", n=refusal.id) if corrects
               else _("Refusal recorded. Thank you."))
    flash(message, "success")
    return redirect(url_for(".index", premises_id=premises.id))


@bp.route(f"{BASE}/new", methods=["GET", "POST"])
@role_required(*SHOP)
def new(premises_id: int):
    premises = premises_or_404(premises_id, can_record_refusal)
    form = refusal_form(services.refusers(premises),
                        None if request.method == "POST" else _initial())
    if form.validate_on_submit() and (response := _save(premises, form)) is not None:
        return response
    return render_template("refusals/form.html", premises=premises, form=form, corrects=None)


@bp.route(f"{BASE}/<int:refusal_id>/correct", methods=["GET", "POST"])
@role_required(*SHOP)
def correct(premises_id: int, refusal_id: int):
    premises = premises_or_404(premises_id, can_record_refusal)
    try:
        refusal = services.get_refusal(refusal_id, premises.id)
    except services.NotFound:
        abort(404)
    if not can_correct_refusal(current_user, refusal, premises):
        abort(403)
    form = refusal_form(services.refusers(premises),
                        None if request.method == "POST" else _initial(refusal), correcting=True)
    if form.validate_on_submit() and (response := _save(premises, form, refusal)) is not None:
        return response
    return render_template("refusals/form.html", premises=premises, form=form, corrects=refusal)


def _week(value: str) -> date:
    try:
        start = date.fromisoformat(value)
    except ValueError:
        abort(404)
    if start.weekday() != 0:
        abort(404)
    return start


@bp.route(f"{BASE}/weeks/<week>/sign-off", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def sign_off(premises_id: int, week: str):
    premises = premises_or_404(premises_id, is_premises_manager)
    start = _week(week)
    form = SignOffForm()
    if form.validate_on_submit():
        try:
            signoff.sign_off_week(premises, start, form.note.data, current_actor())
        except signoff.InvalidWeek:
            abort(404)
        except signoff.AlreadySignedOff:
            flash(_("That week has already been signed off"))
        else:
            db.session.commit()
            flash(_("Week of %(day)s signed off", day=start.strftime("%-d %B %Y")), "success")
        return redirect(url_for(".index", premises_id=premises.id))
    signed = signoff.sign_offs(premises.id, since=start).get(start)
    entries = signoff.week_entries(premises.id, [start])[start]
    return render_template("refusals/sign_off.html", premises=premises, form=form,
                           start=start, end=start + timedelta(days=6), entries=entries,
                           count=len(entries), signed=signed, reasons=services.REASONS)


@bp.route(f"{BASE}/weeks/sign-off", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def sign_off_several(premises_id: int):
    """Review every week not signed off, and sign off the ones ticked (each one its own row)."""
    premises = premises_or_404(premises_id, is_premises_manager)
    unsigned = [w for w in signoff.weeks(premises) if w.sign_off is None]
    form = WeeksSignOffForm()
    form.weeks.choices = [(w.start.isoformat(), _week_label(w)) for w in reversed(unsigned)]
    if form.validate_on_submit():
        try:
            signed, already = signoff.sign_off_weeks(premises, form.weeks.data, form.note.data,
                                                      current_actor())
        except signoff.InvalidWeek:
            form.weeks.errors.append(_("Select the weeks you are signing off"))
        else:
            db.session.commit()
            _flash_signed(signed, already)
            return redirect(url_for(".index", premises_id=premises.id))
    entries = signoff.week_entries(premises.id, [w.start for w in unsigned])
    return render_template("refusals/sign_off_several.html", premises=premises, form=form,
                           weeks=list(reversed(unsigned)), entries=entries,
                           reasons=services.REASONS)


def _week_label(week) -> str:
    label = _("Monday %(a)s to Sunday %(b)s", a=f"{week.start.day} {week.start:%B}",
              b=f"{week.end.day} {week.end:%B %Y}")
    return f"{label} ({_('this week')})" if week.current else label


def _flash_signed(signed, already) -> None:
    if signed:
        flash(ngettext("%(num)s week signed off", "%(num)s weeks signed off", len(signed)),
              "success")
    if already:
        flash(ngettext("%(num)s week had already been signed off",
                       "%(num)s weeks had already been signed off", len(already)))


def _download_data(premises: Premises):
    entries = services.all_entries(premises.id)
    return entries, signoff.sign_offs(premises.id)


@bp.route(f"{BASE}/register.csv")
@role_required(*READERS)
def download_csv(premises_id: int):
    premises = premises_or_404(premises_id, can_read_premises_records)
    return Response(export.register_csv(*_download_data(premises)), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="refusals-register-{premises.id}.csv"'})


@bp.post(f"{BASE}/register.pdf")
@role_required(*READERS)
def prepare_pdf(premises_id: int):
    """The PDF is built by a job (compliance/exports): its page says when it is ready."""
    premises = premises_or_404(premises_id, can_read_premises_records)
    prepared = exports.prepare(pdf.REGISTER_PDF.name, {"premises_id": premises.id},
                               current_actor())
    db.session.commit()
    return redirect(url_for("exports.show", export_id=prepared.id))
