"""Question bank pages, for admins: list, add, edit (new version), retire, Moodle in and out."""

from flask import Response, abort, flash, redirect, render_template, request, url_for

from compliance.auth.permissions import role_required
from compliance.extensions import db
from compliance.forms import ConfirmForm, choices
from compliance.i18n import gettext as _
from compliance.models import Role
from compliance.quizzes import bank, bp, transfer
from compliance.quizzes.forms import OPTION_SLOTS, ImportConfirmForm, ImportForm, QuestionForm
from compliance.quizzes.interchange import InterchangeError
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
    return Response(transfer.export_bank("gift"), mimetype="text/plain; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="question-bank.gift"'})


@bp.route("/export.xml")
def export_xml():
    return Response(transfer.export_bank("moodle-xml"), mimetype="application/xml; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="question-bank.xml"'})


def _add_error(field, message: str) -> None:
    """Errors on a field of a form that was never validated are a tuple: replace, not append."""
    field.errors = [*field.errors, message]


def _plan(form: ImportForm, data: bytes, module: str | None):
    """Plan an import, turning each failure into a form error; (plan or None, problems)."""
    try:
        return transfer.plan_import(data, module), []
    except UnicodeDecodeError:
        _add_error(form.file, _("The file must be UTF-8 text"))
    except InterchangeError as exc:
        _add_error(form.file, _("The file has %(n)s problems. Nothing was imported.",
                                  n=len(exc.errors)))
        return None, exc.errors
    except transfer.NeedsModule as exc:
        _add_error(form.module, _("Select a module for the questions in these categories: "
                                    "%(c)s", c=str(exc)))
    except bank.UnknownModule:
        _add_error(form.module, _("Select a module from the list"))
    return None, []


def _import_form() -> ImportForm:
    form = ImportForm()
    form.module.choices = choices([("", _("None: use each question's category"))]
                                  + bank.module_choices())
    return form


def _preview(plan, data: bytes, module: str | None, form: ImportConfirmForm | None = None):
    form = form or ImportConfirmForm(formdata=None, module=module or "",
                                     payload=ImportConfirmForm.pack(data))
    return render_template("questions/import_preview.html", plan=plan, form=form,
                           changes=transfer.CHANGES, titles=dict(bank.module_choices()))


@bp.route("/import", methods=["GET", "POST"])
def import_file():
    form, problems = _import_form(), []
    if form.validate_on_submit():
        data = form.file.data.read()
        plan, problems = _plan(form, data, form.module.data or None)
        if plan is not None:
            return _preview(plan, data, form.module.data)
    return render_template("questions/import.html", form=form, problems=problems)


@bp.route("/import/confirm", methods=["POST"])
def import_confirm():
    confirm, upload = ImportConfirmForm(), _import_form()
    data = confirm.data_bytes() if confirm.validate_on_submit() else None
    plan, problems = _plan(upload, data, confirm.module.data or None) if data else (None, [])
    if plan is None:
        _add_error(upload.file, _("Upload the file again: the preview could not be used"))
        return render_template("questions/import.html", form=upload, problems=problems)
    try:
        report = transfer.apply_import(plan, current_actor(),
                                       skip_unsupported=confirm.skip_unsupported.data)
    except transfer.UnsupportedNotConfirmed as exc:
        confirm.skip_unsupported.errors.append(_(
            "Confirm that the %(n)s questions listed will be skipped", n=len(exc.unsupported)))
        return _preview(plan, data, confirm.module.data, confirm)
    db.session.commit()
    flash(_("Imported %(n)s questions: %(c)s new versions. Skipped %(s)s.", n=report.read,
            c=report.added_or_changed, s=report.skipped), "success")
    return redirect(url_for("questions.index"))
