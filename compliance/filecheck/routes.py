"""The public upload page. The size limit is set before anything reads the body."""

from flask import current_app, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from compliance.extensions import csrf, limiter
from compliance.filecheck import bp, services
from compliance.filecheck.forms import CheckFileForm
from compliance.i18n import gettext as _

_ENVELOPE = 64 * 1024  # room for the multipart headers and the CSRF token around the file


def _limit() -> str:
    return current_app.config["CHECK_PDF_RATE_LIMIT"]


@bp.route("", methods=["GET", "POST"])
@limiter.limit(_limit)
@csrf.exempt  # not unprotected: the form validates its own token, after the size limit is set
def check():
    max_bytes = int(current_app.config["CHECK_PDF_MAX_BYTES"])
    request.max_content_length = max_bytes + _ENVELOPE
    try:
        form = CheckFileForm(max_bytes=max_bytes)
        submitted = form.validate_on_submit()
    except RequestEntityTooLarge:
        form = CheckFileForm(formdata=None, max_bytes=max_bytes)
        form.file.errors = [form.too_large()]
        return render_template("filecheck/form.html", form=form), 413
    if submitted:
        try:
            result = services.check_file(form.file.data.read())
        except services.NotACertificateFileError:
            form.file.errors.append(_("The selected file must be a PDF or a .jwt credential"))
        else:
            return render_template("filecheck/result.html", result=result)
    return render_template("filecheck/form.html", form=form), 400 if form.errors else 200
