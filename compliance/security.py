"""Security headers on every response, with a per-request nonce for the one inline script."""

import secrets

from flask import Flask, Response, abort, g, request

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
UPLOAD_ENDPOINTS = frozenset({"questions.import_file", "filecheck.check"})
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


def register_security(app: Flask) -> None:
    app.add_template_global(csp_nonce, "csp_nonce")
    app.before_request(refuse_unexpected_bodies)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = _CSP.format(nonce=csp_nonce())
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
