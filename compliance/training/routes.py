"""Training pages: modules, the quiz, the manager's matrix."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from compliance.auth.permissions import role_required
from compliance.certificates.routes import verify_url
from compliance.certificates.services import issue_staff_certificate
from compliance.extensions import db
from compliance.mail import get_mailer
from compliance.models import Role
from compliance.quizzes import services as quiz
from compliance.training import bp, services
from compliance.training.forms import (
    ConfirmReadForm,
    StartQuizForm,
    SubmitQuizForm,
    answer_form,
)
from compliance.training.matrix import matrix_csv, training_matrix
from compliance.training.rendering import render_markdown
from compliance.web import current_actor, managed_retailer_or_404

LEARNERS = (Role.STAFF, Role.MANAGER)


@bp.route("/")
@role_required(*Role)
def index():
    jurisdiction = services.jurisdiction_for(current_user)
    progress = services.progress(current_user)
    state = quiz.quiz_state(current_user) if current_user.role in LEARNERS else None
    return render_template("training/index.html", progress=progress, state=state,
                           jurisdiction=jurisdiction)


@bp.route("/modules/<slug>", methods=["GET", "POST"])
@role_required(*Role)
def module(slug: str):
    jurisdiction = services.jurisdiction_for(current_user)
    try:
        module = services.get_module(slug, jurisdiction)
    except services.ModuleNotFound:
        abort(404)
    form = ConfirmReadForm()
    if request.method == "POST" and current_user.role not in LEARNERS:
        abort(403)
    if form.validate_on_submit():
        services.mark_read(current_user, module, current_actor())
        db.session.commit()
        flash(_("Module marked as read: %(title)s", title=module.title), "success")
        following = services.next_unread(services.progress(current_user), module)
        if following is not None:
            return redirect(url_for("training.module", slug=following.slug))
        return redirect(url_for("training.index"))
    progress = services.progress(current_user)
    return render_template(
        "training/module.html", module=module, form=form,
        body=render_markdown(module.body_markdown),
        sources=services.sources_for(module.source_tags), jurisdiction=jurisdiction,
        note=module.jurisdiction_notes.get(jurisdiction.value), progress=progress,
        is_read=module.slug in progress.read)


@bp.route("/quiz", methods=["GET", "POST"])
@role_required(*LEARNERS)
def quiz_start():
    state = quiz.quiz_state(current_user)
    form = StartQuizForm()
    if state.status == "in_progress" and request.method == "GET":
        return redirect(_resume_url(state.attempt))
    if form.validate_on_submit():
        try:
            attempt = quiz.start_attempt(current_user, current_actor())
        except quiz.QuizLocked:
            flash(_("Read every module before you take the quiz"), "info")
            return redirect(url_for("training.index"))
        except quiz.CoolingOff:
            return redirect(url_for("training.quiz_start"))
        db.session.commit()
        return redirect(url_for("training.question", attempt_id=attempt.id, position=1))
    return render_template("training/quiz_start.html", state=state, form=form)


def _resume_url(attempt) -> str:
    loaded = quiz.load_attempt(attempt.id, current_user)
    position = quiz.first_unanswered(loaded)
    if position is None:
        return url_for("training.check", attempt_id=attempt.id)
    return url_for("training.question", attempt_id=attempt.id, position=position)


def _own_attempt(attempt_id: int):
    try:
        return quiz.load_attempt(attempt_id, current_user)
    except quiz.NotYourAttempt:
        abort(404)


@bp.route("/quiz/<int:attempt_id>/<int:position>", methods=["GET", "POST"])
@role_required(*LEARNERS)
def question(attempt_id: int, position: int):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted_at is not None:
        return redirect(url_for("training.result", attempt_id=attempt.id))
    answer = quiz.answer_at(attempt, position)
    if answer is None:
        abort(404)
    form = answer_form(answer.question, answer.option_order, answer.chosen)
    if form.validate_on_submit():
        chosen = form.answer.data if isinstance(form.answer.data, list) else [form.answer.data]
        quiz.save_answer(attempt, answer, chosen)
        db.session.commit()
        if request.args.get("change") or position == attempt.total:
            return redirect(url_for("training.check", attempt_id=attempt.id))
        return redirect(url_for("training.question", attempt_id=attempt.id, position=position + 1))
    return render_template("training/question.html", attempt=attempt, answer=answer, form=form)


@bp.route("/quiz/<int:attempt_id>/check", methods=["GET", "POST"])
@role_required(*LEARNERS)
def check(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted_at is not None:
        return redirect(url_for("training.result", attempt_id=attempt.id))
    form = SubmitQuizForm()
    unanswered: list[int] = []
    if form.validate_on_submit():
        try:
            result = quiz.submit_attempt(attempt, current_actor())
        except quiz.Unanswered as exc:
            unanswered = exc.positions
        else:
            if result.passed:  # the training certificate is issued, stored and emailed now
                issue_staff_certificate(quiz.latest_completion(current_user.id),
                                        actor=current_actor(), mailer=get_mailer(),
                                        verify_url=verify_url)
            db.session.commit()
            return redirect(url_for("training.result", attempt_id=attempt.id))
    return render_template("training/check.html", attempt=attempt, form=form,
                           unanswered=unanswered)


@bp.route("/quiz/<int:attempt_id>/result")
@role_required(*LEARNERS)
def result(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted_at is None:
        return redirect(url_for("training.check", attempt_id=attempt.id))
    tags = sorted({t for a in attempt.answers for t in a.question.source_tags})
    sources = {s.tag: s for s in services.sources_for(tags)}
    return render_template("training/result.html", attempt=attempt, sources=sources,
                           state=quiz.quiz_state(current_user))


@bp.route("/matrix")
@role_required(Role.MANAGER, Role.ADMIN)
def matrix():
    retailer = managed_retailer_or_404()
    return render_template("training/matrix.html", retailer=retailer,
                           rows=training_matrix(retailer.id))


@bp.route("/matrix.csv")
@role_required(Role.MANAGER, Role.ADMIN)
def matrix_download():
    retailer = managed_retailer_or_404()
    return Response(matrix_csv(training_matrix(retailer.id)), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="training-matrix-{retailer.id}.csv"'})
