"""Security headers on every response, with a per-request nonce for the one inline script."""

import re
import secrets

from flask import Flask, Response, abort, current_app, g, request

# GOV.UK Frontend's template carries one inline script (the js-enabled class); it runs under a
# nonce, so the policy never needs 'unsafe-inline'.
_CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


# The forms that take a file upload: the question import, and the public certificate file check
# (which sets its own size limit before the body is read, so it must not be read here first).
UPLOAD_ENDPOINTS = frozenset({"questions.import_file", "filecheck.check",
                              "followups.answer_follow_up", "visits.checklist"})
# Forms that take evidence files (compliance.storage): the body may hold a few files of
# EVIDENCE_MAX_BYTES each and no more, so a bigger one is refused before it is read. A file
# over the limit inside that is refused by the form, with what was typed kept.
EVIDENCE_ENDPOINTS = frozenset({"followups.answer_follow_up", "visits.checklist"})
EVIDENCE_FILES_PER_REQUEST = 3
# Their file fields are named evidence or evidence_<checklist item id>.
_EVIDENCE_FIELD = re.compile(r"^evidence(_\d+)?$")
_ENVELOPE = 64 * 1024
# The JSON APIs (the offline outbox's sync): they parse and check their own bodies.
JSON_ENDPOINTS = frozenset({"offline.sync_section"})


def refuse_unexpected_bodies() -> None:
    """Forms are posted as forms: a JSON body, or a file where text is expected, is a 400.

    Flask-WTF would otherwise hand a JSON number or an uploaded file to a text field, and the
    form's own checks (which expect text) would fail with a 500.
    """
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    if request.is_json and request.endpoint not in JSON_ENDPOINTS:
        abort(400)
    if request.endpoint not in UPLOAD_ENDPOINTS and request.files:  # parses only other forms
        abort(400)
    if request.endpoint in EVIDENCE_ENDPOINTS and any(
            not _EVIDENCE_FIELD.match(name) for name in request.files):
        abort(400)  # a file where the form expects text


def limit_evidence_bodies() -> None:
    """Set the evidence forms' body limit before anything (the CSRF check first) reads it."""
    if request.endpoint in EVIDENCE_ENDPOINTS:
        request.max_content_length = (
            EVIDENCE_FILES_PER_REQUEST * int(current_app.config["EVIDENCE_MAX_BYTES"])
            + _ENVELOPE)


def register_security(app: Flask) -> None:
    app.add_template_global(csp_nonce, "csp_nonce")
    app.before_request_funcs.setdefault(None, []).insert(0, limit_evidence_bodies)
    app.before_request(refuse_unexpected_bodies)

    @app.after_request
    def _headers(response: Response) -> Response:
        # A view may set a stricter policy of its own (evidence files are sandboxed).
        response.headers.setdefault("Content-Security-Policy", _CSP.format(nonce=csp_nonce()))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.endpoint != "static" and "public" not in response.cache_control:
            # Pages, CSVs, PDFs and ZIPs carry personal data: no copy in any cache, shared or
            # the browser's (the back button after sign-out included). A view that publishes
            # something for everyone (the JWKS, the issuer profile) says so with "public".
            response.headers["Cache-Control"] = "no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response
