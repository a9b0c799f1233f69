"""Friendly error pages."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from compliance.extensions import db

_PAGES = {400, 403, 404, 405, 429, 500}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_template("errors/csrf.html", back=request.path), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code = error.code or 500
        if code not in _PAGES:
            return error
        if request.accept_mimetypes.best == "application/json":
            return {"error": error.name, "status": code}, code
        return render_template(f"errors/{code}.html", error=error), code

    @app.errorhandler(500)
    def _server_error(error):
        db.session.rollback()
        return render_template("errors/500.html"), 500
