"""The offline pages (the visit recorder and the sign-out warning), the web app manifest and
the service worker. Responses the service worker may keep carry X-Offline-Cache; nothing else
(the sign-in page, other roles' pages) ever does, and the worker caches nothing without it."""

from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, jsonify, make_response, render_template, url_for
from flask_login import current_user

from compliance.auth.permissions import role_required
from compliance.i18n import gettext as _
from compliance.models import Role
from compliance.offline import bp, forms, root_bp
from compliance.offline.bundle import checklist_version
from compliance.operations import services as operations
from compliance.visits.checklist import checklist_groups
from compliance.visits.timezone import uk_today

CACHE_HEADER = "X-Offline-Cache"
SCOPE = "/offline/"


def _cacheable(response):
    response = make_response(response)
    response.headers[CACHE_HEADER] = "officer"
    return response


@bp.route("/visit")
@role_required(Role.OFFICER)
def record():
    # Those near today, as the online form offers (a day out's visits are today's); a visit
    # synced later is still checked against every operation.
    ops = operations.operations_offered(uk_today())
    start = forms.start_form(None, ops, data={"visit_date": uk_today(),
                                              "officers_present": current_user.name})
    running = operations.default_operation(ops, uk_today())
    start.operation.data = str(running.id) if running else ""
    groups = checklist_groups()
    return _cacheable(render_template(
        "offline/record.html", shop_form=forms.shop_form(None), start_form=start,
        checklist=[(g, forms.checklist_form(g)) for g in groups],
        purchase_form=forms.test_purchase_form(None), outcome_form=forms.outcome_form(None),
        checklist_version=checklist_version()))


@bp.route("/sign-out")
@role_required(Role.OFFICER)
def sign_out():
    return _cacheable(render_template("offline/sign_out.html"))


@bp.route("/manifest.webmanifest")
def manifest():
    response = jsonify({
        "name": _("Knife sales compliance: officer visits"),
        "short_name": _("Visits"),
        "start_url": url_for("offline.record"),
        "scope": SCOPE,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b2a4a",
        "icons": [
            {"src": url_for("static", filename=f"offline/icon-{size}.png"),
             "sizes": f"{size}x{size}", "type": "image/png"}
            for size in (192, 512)],
    })
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@root_bp.route("/sw.js")
def service_worker():
    script = Path(current_app.static_folder, "offline", "sw.js").read_bytes()
    response = Response(script, mimetype="text/javascript")
    # Served from the root, but allowed no wider than the offline pages.
    response.headers["Service-Worker-Allowed"] = SCOPE
    response.headers["Cache-Control"] = "public, no-cache"
    return response
