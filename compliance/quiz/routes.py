"""Quiz pages: start, one question a page, check answers, submit, result."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from compliance.auth.permissions import role_required
from compliance.certificates.services import issue_staff_certificate, pdf_state
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.models import Role
from compliance.quiz import bp
from compliance.quiz import services as quiz
from compliance.quiz.forms import StartQuizForm, SubmitQuizForm, answer_form, chosen_positions
from compliance.training import services as training
from compliance.urls import verify_url
from compliance.web import current_actor

LEARNERS = (Role.STAFF, Role.MANAGER)


@bp.route("", methods=["GET", "POST"])
@role_required(*LEARNERS)
def start():
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
            return redirect(url_for("quiz.start"))
        db.session.commit()
        return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))
    return render_template("quiz/quiz_start.html", state=state, form=form)


def _resume_url(attempt) -> str:
    loaded = quiz.load_attempt(attempt.id, current_user)
    position = quiz.first_unanswered(loaded)
    if position is None:
        return url_for("quiz.check", attempt_id=attempt.id)
    return url_for("quiz.question", attempt_id=attempt.id, position=position)


def _own_attempt(attempt_id: int):
    try:
        return quiz.load_attempt(attempt_id, current_user)
    except quiz.NotYourAttempt:
        abort(404)


@bp.route("/<int:attempt_id>/<int:position>", methods=["GET", "POST"])
@role_required(*LEARNERS)
def question(attempt_id: int, position: int):
    try:
        attempt, answer = quiz.load_question(attempt_id, position, current_user)
    except quiz.NotYourAttempt:
        abort(404)
    if attempt.submitted_at is not None:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    if answer is None:
        abort(404)
    form = answer_form(answer.question, answer.option_order, quiz.shown_positions(answer))
    if form.validate_on_submit():
        quiz.save_answer(attempt, answer, chosen_positions(form))
        db.session.commit()
        if request.args.get("change") or position == attempt.total:
            return redirect(url_for("quiz.check", attempt_id=attempt.id))
        return redirect(url_for("quiz.question", attempt_id=attempt.id, position=position + 1))
    return render_template("quiz/question.html", attempt=attempt, answer=answer, form=form)


@bp.route("/<int:attempt_id>/check", methods=["GET", "POST"])
@role_required(*LEARNERS)
def check(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted_at is not None:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    form = SubmitQuizForm()
    unanswered: list[int] = []
    if form.validate_on_submit():
        try:
            result = quiz.submit_attempt(attempt, current_actor())
        except quiz.Unanswered as exc:
            unanswered = exc.positions
        except quiz.AttemptClosed:  # submitted by another request (a double tap): one result
            db.session.rollback()
            return redirect(url_for("quiz.result", attempt_id=attempt_id))
        else:
            if result.passed:  # issued now; its PDF is rendered and emailed by a job
                issue_staff_certificate(quiz.latest_completion(current_user.id),
                                        actor=current_actor(), verify_url=verify_url)
            db.session.commit()
            return redirect(url_for("quiz.result", attempt_id=attempt.id))
    return render_template("quiz/check.html", attempt=attempt, form=form, unanswered=unanswered)


@bp.route("/<int:attempt_id>/result")
@role_required(*LEARNERS)
def result(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted_at is None:
        return redirect(url_for("quiz.check", attempt_id=attempt.id))
    tags = sorted({t for a in attempt.answers for t in a.question.source_tags})
    sources = {s.tag: s for s in training.sources_for(tags)}
    modules = quiz.module_titles({a.question.module_slug for a in attempt.answers})
    certificate = quiz.certificate_for(attempt) if attempt.passed else None
    return render_template("quiz/result.html", attempt=attempt, sources=sources,
                           modules=modules, show_right=quiz.show_right_answers(attempt),
                           state=quiz.quiz_state(current_user), certificate=certificate,
                           pdf_state=pdf_state(certificate) if certificate else None,
                           cooling_off=current_app.config["QUIZ_COOLING_OFF_MINUTES"])
