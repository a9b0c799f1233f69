"""Serving an evidence file to those who may see what it is evidence for.

Served with the type sniffed when it was stored (never text/html or SVG), under a sandboxing
policy and nosniff; a PDF, or a HEIC picture that browsers do not show, is downloaded.
"""

from __future__ import annotations

from io import BytesIO

from flask import abort, render_template, request, send_file, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from compliance import storage
from compliance.auth.permissions import role_required
from compliance.evidence import bp
from compliance.evidence.forms import storage_message
from compliance.evidence.services import load_link
from compliance.followups.access import follow_up_or_404
from compliance.models import Role
from compliance.security import EVIDENCE_ENDPOINTS
from compliance.visits.access import visit_or_404

INLINE = {"image/jpeg", "image/png", "image/webp"}


@bp.route("/<int:link_id>")
@role_required(Role.OFFICER, Role.ADMIN, Role.MANAGER)
def file(link_id: int):
    link = load_link(link_id)
    if link is None:
        abort(404)
    if link.follow_up_id is not None:
        follow_up_or_404(link.follow_up_id)  # 404, or 403 for another business's manager
    else:
        visit_or_404(link.visit_id)  # officers' findings: the shop never sees these
    try:
        data = storage.read(link.file)
    except (OSError, storage.StorageError):
        abort(404)
    content_type = link.file.content_type
    response = send_file(BytesIO(data), mimetype=content_type,
                         as_attachment=content_type not in INLINE,
                         download_name=link.filename, etag=link.file.sha256)
    # Even a file that got past the sniffing could run nothing: no scripts, no plugins.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.app_errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """An evidence form sent more than its body limit: say so plainly; nothing was saved."""
    if request.endpoint not in EVIDENCE_ENDPOINTS:
        return error
    back = request.path
    if request.endpoint == "followups.answer_follow_up":
        back = url_for("followups.follow_up", **(request.view_args or {}))
    return render_template("evidence/too_large.html", back=back,
                           message=storage_message(storage.FileTooLarge(storage.max_bytes()))
                           ), 413
