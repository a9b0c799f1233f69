"""Friendly error pages, and JSON errors for JSON endpoints."""

import math
import time

from flask import Flask, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from compliance.extensions import db, limiter

_PAGES = {400, 403, 404, 405, 429, 500}


def wants_json() -> bool:
    """A JSON endpoint (its path ends in .json) or a client that asks for JSON."""
    return request.path.endswith(".json") or \
        request.accept_mimetypes.best == "application/json"


def _json(error: HTTPException, code: int):
    return {"error": error.name, "status": code}, code


def retry_after(error: RateLimitExceeded) -> int:
    """Seconds until the exhausted limit's window lets a request through again (read from the
    limit's storage only here, on a refused request), at least 1."""
    window = error.limit.limit.get_expiry()
    current = limiter.current_limit
    if current is None:
        return max(1, window)
    return min(window, max(1, math.ceil(current.reset_at - time.time())))


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        if wants_json():
            return _json(error, 400)
        return render_template("errors/csrf.html", back=request.path), 400

    @app.errorhandler(RateLimitExceeded)
    def _limited(error: RateLimitExceeded):
        response = app.make_response(_http(error))
        response.headers["Retry-After"] = str(retry_after(error))
        return response

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code = error.code or 500
        if wants_json():
            return _json(error, code)
        if code not in _PAGES:
            return error
        return render_template(f"errors/{code}.html", error=error), code

    @app.errorhandler(500)
    def _server_error(error):
        db.session.rollback()
        if wants_json():
            return _json(InternalServerError(), 500)
        return render_template("errors/500.html"), 500
