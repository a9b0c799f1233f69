"""Question bank pages, for admins: list, add, edit (new version), retire, GIFT in and out."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from compliance.auth.permissions import role_required
from compliance.extensions import db
from compliance.forms import ConfirmForm, choices
from compliance.models import Role
from compliance.quizzes import bank, bp
from compliance.quizzes.forms import OPTION_SLOTS, ImportForm, QuestionForm
from compliance.quizzes.gift import GiftError
from compliance.web import current_actor


@bp.before_request
@role_required(Role.ADMIN)
def _admins_only():
    """Only admins manage the bank."""


@bp.route("/")
def index():
    module = request.args.get("module") or None
    modules = bank.module_choices()
    return render_template("questions/index.html", modules=modules, module=module,
                           titles=dict(modules),
                           questions=bank.current_questions(module, include_retired=True))


def _form_data(question) -> dict:
    data = {"module": question.module_slug, "jurisdictions": question.jurisdictions,
            "kind": question.kind, "text": question.text, "explanation": question.explanation,
            "sources": ", ".join(question.source_tags)}
    for n, option in enumerate(question.options[:OPTION_SLOTS], start=1):
        data |= {f"option_{n}_text": option["text"], f"option_{n}_correct": option["correct"],
                 f"option_{n}_feedback": option.get("feedback", "")}
    return data


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<key>/edit", methods=["GET", "POST"])
def edit(key: str | None = None):
    try:
        question = bank.get_current(key) if key else None
    except bank.UnknownQuestion:
        abort(404)
    form = QuestionForm(data=_form_data(question) if question and request.method == "GET"
                        else None)
    form.module.choices = choices([("", _("Select a module"))] + bank.module_choices())
    if form.validate_on_submit():
        content = {"module_slug": form.module.data, "jurisdictions": form.jurisdictions.data,
                   "kind": form.kind.data, "text": form.text.data.strip(),
                   "options": form.options(), "explanation": form.explanation.data.strip(),
                   "source_tags": form.source_tags()}
        try:
            saved = bank.save_question(key, content, current_actor())
        except bank.UnknownSources as exc:
            form.sources.errors.append(_("These source tags are not in the source list: %(t)s",
                                         t=str(exc)))
        else:
            db.session.commit()
            flash(_("Question %(key)s saved as version %(v)s", key=saved.key, v=saved.version),
                  "success")
            return redirect(url_for("questions.index", module=saved.module_slug))
    return render_template("questions/edit.html", form=form, question=question,
                           slots=range(1, OPTION_SLOTS + 1))


@bp.route("/<key>/retire", methods=["GET", "POST"])
def retire(key: str):
    try:
        question = bank.get_current(key)
    except bank.UnknownQuestion:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        bank.retire_question(key, current_actor())
        db.session.commit()
        flash(_("Question %(key)s retired: it will not appear in new quizzes", key=key),
              "success")
        return redirect(url_for("questions.index"))
    return render_template("questions/retire.html", question=question, form=form)


@bp.route("/export.gift")
def export():
    return Response(bank.export_gift(), mimetype="text/plain; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="question-bank.gift"'})


@bp.route("/import", methods=["GET", "POST"])
def import_gift():
    form = ImportForm()
    problems: list[tuple[int, str]] = []
    if form.validate_on_submit():
        try:
            text = form.file.data.read().decode("utf-8")
            report = bank.import_gift(text, current_actor())
        except UnicodeDecodeError:
            form.file.errors.append(_("The file must be UTF-8 text"))
        except GiftError as exc:
            db.session.rollback()
            problems = exc.errors
            form.file.errors.append(_("The file has %(n)s problems. Nothing was imported.",
                                      n=len(problems)))
        except bank.UnknownModule as exc:
            db.session.rollback()
            form.file.errors.append(_("Unknown module categories: %(m)s. Nothing was imported.",
                                      m=str(exc)))
        else:
            db.session.commit()
            flash(_("Imported %(n)s questions: %(c)s new versions", n=report.read,
                    c=report.added_or_changed), "success")
            return redirect(url_for("questions.index"))
    return render_template("questions/import.html", form=form, problems=problems)
