"""An export's page (being prepared, ready, or could not be prepared) and its download.

Only the person who asked sees either, and only while they may still see what it is of: the
kind's own access check runs again on every look."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from compliance.exports import bp, services
from compliance.exports.kinds import kind_named
from compliance.extensions import db
from compliance.web import current_actor


def _load(export_id: int):
    found = services.load(export_id, current_user.id)
    if found is None:
        abort(404)
    export, job = found
    kind = kind_named(export.kind)
    return export, job, kind, kind.subject(export.params)


@bp.route("/<int:export_id>")
@login_required
def show(export_id: int):
    export, job, kind, subject = _load(export_id)
    return render_template("exports/show.html", export=export, kind=kind, subject=subject,
                           state=services.state(export, job),
                           keep_days=services.keep_days())


@bp.route("/<int:export_id>/state.json")
@login_required
def state(export_id: int):
    """The export's state ("waiting", "ready" or "failed"): its page asks every few seconds
    while it is being prepared (static/js/ready-poll.js)."""
    export, job, _kind, _subject = _load(export_id)
    found = services.state(export, job)
    return {"state": "waiting" if found == "preparing" else found}


@bp.route("/<int:export_id>/download")
@login_required
def download(export_id: int):
    export, job, _kind, _subject = _load(export_id)
    if services.state(export, job) != "ready":
        return redirect(url_for("exports.show", export_id=export.id))
    path = services.path_of(export)
    if path is None or not path.is_file():
        current_app.logger.error("Export %s: its file %s is missing", export.id, path)
        abort(404)
    gz = services.gzip_path_of(export)
    if gz is not None and "gzip" in request.accept_encodings:
        # The same file, gzipped (a tenth of a CSV's bytes): the browser unpacks it as it
        # arrives and saves the CSV. Its own ETag: a validator names one representation.
        response = send_file(gz, mimetype=export.content_type, as_attachment=True,
                             download_name=export.filename, etag=f"{export.sha256}-gzip",
                             conditional=True)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = send_file(path, mimetype=export.content_type, as_attachment=True,
                             download_name=export.filename, etag=export.sha256,
                             conditional=True)
    if gz is not None:
        response.vary.add("Accept-Encoding")
    return response


@bp.post("/<int:export_id>/again")
@login_required
def again(export_id: int):
    """Ask once more for an export that could not be prepared."""
    export, job, _kind, _subject = _load(export_id)
    if services.state(export, job) != "failed":
        return redirect(url_for("exports.show", export_id=export.id))
    fresh = services.prepare(export.kind, export.params, current_actor())
    db.session.commit()
    return redirect(url_for("exports.show", export_id=fresh.id))
