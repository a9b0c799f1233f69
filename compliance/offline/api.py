"""The JSON side of the offline app: a fresh CSRF token, the data bundle, and the outbox sync.

Only officers, only their own visits (the visit services' key and edit checks), and every POST
carries the session's CSRF token in the X-CSRFToken header (Flask-WTF checks it globally).
"""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from compliance.auth.permissions import role_required
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.models import Role
from compliance.offline import bp, sync
from compliance.offline.bundle import bundle
from compliance.web import current_actor

SYNC_ENDPOINT = "offline.sync_section"  # the one view that takes a JSON body (see security.py)


@bp.route("/api/token")
@role_required(Role.OFFICER)
def token():
    return jsonify(csrf_token=generate_csrf(), user=current_user.id)


@bp.route("/api/bundle")
@role_required(Role.OFFICER)
def data_bundle():
    return jsonify(bundle(current_user))


@bp.route("/api/sync", methods=["POST"])
@role_required(Role.OFFICER)
def sync_section():
    # Imported here: the followups and visits packages import each other at start-up.
    from compliance.followups.routes import follow_up_mail

    try:
        queued = sync.parse(request.get_json(silent=True))
        result = sync.apply(queued, current_actor(), mail=follow_up_mail())
    except sync.Rejected as exc:
        db.session.rollback()
        return jsonify(status="rejected", errors=exc.errors), 422
    except sync.Conflict as exc:
        db.session.rollback()
        return jsonify(status="conflict", lock_version=exc.lock_version, theirs=exc.theirs,
                       yours=exc.yours,
                       message=_("Someone else changed this visit after this phone last "
                                 "sent it")), 409
    except sync.NotYours:
        db.session.rollback()
        return jsonify(status="forbidden",
                       errors=[{"field": "", "message": _("This visit belongs to another "
                                                          "officer")}]), 403
    db.session.commit()
    if "visit_id" in result:
        result["url"] = url_for("visits.detail", visit_id=result["visit_id"])
    return jsonify(status="saved", **result)
