"""Self-assessment pages: history and trend, the question pages, check and submit, result.

Each view loads the premises, checks access to it, calls one service, commits, redirects.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from compliance.assessments import bp, chart, checklist, history, scoring, services
from compliance.assessments.forms import DeclarationForm, StartForm, answer_form
from compliance.assessments.profile import describe, profile_of, stock_labels
from compliance.auth.permissions import (
    can_manage_retailer,
    can_read_premises_records,
    is_premises_manager,
    role_required,
)
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.models import Premises, Role
from compliance.training.citations import cited_tags
from compliance.training.services import sources_for
from compliance.web import current_actor, premises_or_404

BASE = "/premises/<int:premises_id>/assessments"
READERS = (Role.MANAGER, Role.OFFICER, Role.ADMIN)


def _sheet(premises: Premises, assessment_id: int) -> services.Sheet:
    try:
        assessment = services.load(assessment_id, premises.id)
    except services.NotFound:
        abort(404)
    return services.sheet(assessment, premises)


def _url(endpoint: str, sheet: services.Sheet, **kwargs) -> str:
    return url_for(endpoint, premises_id=sheet.assessment.premises_id,
                   assessment_id=sheet.assessment.id, **kwargs)


@bp.route(f"{BASE}/")
@role_required(*READERS)
def index(premises_id: int):
    premises = premises_or_404(premises_id, can_read_premises_records)
    overview = history.overview(premises.id)
    profile = profile_of(premises)
    return render_template(
        "assessments/index.html", premises=premises, overview=overview, profile=profile,
        stock=stock_labels(profile), chart=chart.trend(overview.trend), form=StartForm(),
        can_answer=is_premises_manager(current_user, premises),
        can_change_profile=can_manage_retailer(current_user, premises.retailer))


@bp.route(f"{BASE}/new", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def start(premises_id: int):
    premises = premises_or_404(premises_id, is_premises_manager)
    draft = services.draft_for(premises.id)
    if draft is not None and request.method == "GET":
        return redirect(url_for(".tasks", premises_id=premises.id, assessment_id=draft.id))
    form = StartForm()
    if form.validate_on_submit():
        assessment = services.start_or_resume(premises, current_actor())
        db.session.commit()
        return redirect(url_for(".resume", premises_id=premises.id,
                                assessment_id=assessment.id))
    profile = profile_of(premises)
    return render_template("assessments/start.html", premises=premises, form=form,
                           profile=profile, stock=stock_labels(profile))


@bp.route(f"{BASE}/<int:assessment_id>/resume")
@role_required(Role.MANAGER)
def resume(premises_id: int, assessment_id: int):
    """Carry on where anyone left off: the first unanswered item, else the check page."""
    sheet = _sheet(premises_or_404(premises_id, is_premises_manager), assessment_id)
    if sheet.assessment.status != "draft":
        return redirect(_url(".result", sheet))
    row = sheet.first_unanswered
    if row is None:
        return redirect(_url(".check", sheet))
    return redirect(_url(".question", sheet, key=row.item.key))


@bp.route(f"{BASE}/<int:assessment_id>/tasks")
@role_required(Role.MANAGER)
def tasks(premises_id: int, assessment_id: int):
    premises = premises_or_404(premises_id, is_premises_manager)
    sheet = _sheet(premises, assessment_id)
    if sheet.assessment.status != "draft":
        return redirect(_url(".result", sheet))
    return render_template("assessments/tasks.html", premises=premises, sheet=sheet)


def _after_save(sheet: services.Sheet, row: services.Row, stop: bool) -> str:
    if stop:
        flash(_("Your answers are saved. You, or another manager of your business, can "
                "continue at any time."), "success")
        return url_for(".index", premises_id=sheet.assessment.premises_id)
    following = None if request.args.get("change") else sheet.next_after(row.item.key)
    if following is None:
        return _url(".check", sheet)
    return _url(".question", sheet, key=following.item.key)


@bp.route(f"{BASE}/<int:assessment_id>/items/<key>", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def question(premises_id: int, assessment_id: int, key: str):
    premises = premises_or_404(premises_id, is_premises_manager)
    sheet = _sheet(premises, assessment_id)
    if sheet.assessment.status != "draft":
        return redirect(_url(".result", sheet))
    row = sheet.row(key)
    if row is None or row.automatic:
        abort(404)
    saved = {"answer": row.value, "note": row.answer.note if row.answer else "",
             "lock_version": sheet.assessment.lock_version}
    form = answer_form(row.item.question, row.na_allowed,
                       data=None if request.method == "POST" else saved)
    if form.validate_on_submit():
        try:
            services.save_answer(sheet.assessment, premises, row, form.answer.data,
                                 form.note.data, expected_version=form.expected_version,
                                 actor=current_actor())
        except services.DraftChanged:
            db.session.rollback()
            return _conflict(premises_id, assessment_id, key, form)
        except services.NotApplicableRefused:
            form.answer.errors.append(_("Select yes, partly or no"))
        else:
            db.session.commit()
            return redirect(_after_save(sheet, row, bool(form.save_and_stop.data)))
    return _question_page(premises, sheet, row, form)


def _question_page(premises, sheet, row, form, conflict: services.Row | None = None):
    return render_template("assessments/question.html", premises=premises, sheet=sheet,
                           row=row, form=form, conflict=conflict,
                           sources=sources_for(row.item.source_tags),
                           labels=services.ANSWER_LABELS, bases=checklist.BASES)


def _conflict(premises_id: int, assessment_id: int, key: str, form):
    """Someone saved first: show what they saved, keep this person's input, let them decide."""
    premises = premises_or_404(premises_id, is_premises_manager)
    sheet = _sheet(premises, assessment_id)
    if sheet.assessment.status != "draft":
        flash(_("Another manager submitted this self-assessment while you were answering."))
        return redirect(_url(".result", sheet))
    row = sheet.row(key)
    form.lock_version.data = str(sheet.assessment.lock_version)
    return _question_page(premises, sheet, row, form, conflict=row), 409


@bp.route(f"{BASE}/<int:assessment_id>/check", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def check(premises_id: int, assessment_id: int):
    premises = premises_or_404(premises_id, is_premises_manager)
    sheet = _sheet(premises, assessment_id)
    if sheet.assessment.status != "draft":
        return redirect(_url(".result", sheet))
    form = DeclarationForm(data=None if request.method == "POST" else {
        "declaration_name": current_user.name, "lock_version": sheet.assessment.lock_version})
    show_problems = changed = False
    if form.validate_on_submit():
        try:
            services.submit(sheet.assessment, premises, form.declaration_name.data,
                            expected_version=form.expected_version, actor=current_actor())
        except services.Unanswered:
            show_problems = True
        except services.DraftChanged:
            db.session.rollback()
            premises = premises_or_404(premises_id, is_premises_manager)
            sheet, changed = _sheet(premises, assessment_id), True
            if sheet.assessment.status != "draft":
                return redirect(_url(".result", sheet))
            form.lock_version.data = str(sheet.assessment.lock_version)
        else:
            db.session.commit()
            flash(_("Self-assessment submitted"), "success")
            return redirect(_url(".result", sheet))
    return render_template("assessments/check.html", premises=premises, sheet=sheet, form=form,
                           show_problems=show_problems, changed=changed,
                           labels=services.ANSWER_LABELS)


@bp.route(f"{BASE}/<int:assessment_id>")
@role_required(*READERS)
def result(premises_id: int, assessment_id: int):
    premises = premises_or_404(premises_id, can_read_premises_records)
    sheet = _sheet(premises, assessment_id)
    if sheet.assessment.status != "submitted":
        if is_premises_manager(current_user, premises):
            return redirect(_url(".tasks", sheet))
        abort(404)  # drafts are the business's own until submitted
    plan = scoring.action_plan(*sheet.scoring_inputs())
    tags = sorted({t for u in plan for t in cited_tags([u.item.how_to_fix], u.item.source_tags)})
    return render_template("assessments/result.html", premises=premises, sheet=sheet,
                           plan=plan, sources={s.tag: s for s in sources_for(tags)},
                           labels=services.ANSWER_LABELS,
                           profile_text=describe(sheet.assessment.profile))
