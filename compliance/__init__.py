"""Knife Sales Compliance: the application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

_PKG = Path(__file__).resolve().parent

# Environment variables the factory reads (besides Flask's FLASK_* prefix).
_ENV_SETTINGS = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "MAIL_BACKEND": "MAIL_BACKEND",
    "MAIL_SENDER": "MAIL_SENDER",
    "MAIL_SMTP_HOST": "MAIL_SMTP_HOST",
    "MAIL_SMTP_PORT": "MAIL_SMTP_PORT",
    "MAIL_SMTP_USERNAME": "MAIL_SMTP_USERNAME",
    "MAIL_SMTP_PASSWORD": "MAIL_SMTP_PASSWORD",
    "PUBLIC_BASE_URL": "PUBLIC_BASE_URL",
    "TRUSTED_PROXY_COUNT": "TRUSTED_PROXY_COUNT",
    "SIGNING_KEY_PATH": "SIGNING_KEY_PATH",
    "SIGNING_CERT_PATH": "SIGNING_CERT_PATH",
    "SIGNING_KEY_PEM": "SIGNING_KEY_PEM",
    "SIGNING_CERT_PEM": "SIGNING_CERT_PEM",
    "SIGNING_KEY_PASSWORD": "SIGNING_KEY_PASSWORD",
    "SIGNING_PREVIOUS_CERTS_PATH": "SIGNING_PREVIOUS_CERTS_PATH",
    "CREDENTIAL_KEYS_DIR": "CREDENTIAL_KEYS_DIR",
    "JOBS_MODE": "JOBS_MODE",
    "JOBS_REDIS_URL": "JOBS_REDIS_URL",
}


class ConfigurationError(RuntimeError):
    """Raised at start-up when a required setting is missing."""


def _asset_dir(name: str) -> Path:
    """Templates, static files and migrations: inside the wheel, or beside the package."""
    packaged = _PKG / name
    return packaged if packaged.is_dir() else _PKG.parent / name


def database_uri(url: str) -> str:
    """Normalise DATABASE_URL: plain postgres:// addresses use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(_asset_dir("templates")),
        static_folder=str(_asset_dir("static")),
        instance_relative_config=True,
    )
    from compliance.templating import Environment

    app.jinja_environment = Environment  # before anything touches app.jinja_env
    app.config.from_object("compliance.config.Config")
    for env_name, key in _ENV_SETTINGS.items():
        if os.environ.get(env_name):
            app.config[key] = os.environ[env_name]
    app.config.from_prefixed_env()
    if test_config:
        app.config.update(test_config)
    _require(app, "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PUBLIC_BASE_URL")
    from compliance.urls import PublicBaseURLError, check_public_base_url

    try:  # every printed and emailed address is built from it, never from the Host header
        app.config["PUBLIC_BASE_URL"] = check_public_base_url(app.config["PUBLIC_BASE_URL"])
    except PublicBaseURLError as exc:
        raise ConfigurationError(str(exc)) from exc
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app.config["SQLALCHEMY_DATABASE_URI"])

    proxies = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if proxies:  # only behind a proxy: otherwise clients could forge their address
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    from compliance.numbers import DatabaseIntConverter

    app.url_map.converters["int"] = DatabaseIntConverter  # before any route is added
    register_extensions(app)
    from compliance import form_wording, signing

    form_wording.init_app(app)  # GOV.UK wording for WTForms' own messages, in every form

    signing.init_app(app)  # no signing key, no start: certificates are never issued unsigned
    register_templates(app)
    register_blueprints(app)
    from compliance.errors import register_error_handlers
    from compliance.security import register_security

    register_error_handlers(app)
    register_security(app)
    from compliance.cli import register_cli

    register_cli(app)
    return app


def _require(app: Flask, *keys: str) -> None:
    missing = [k for k in keys if not app.config.get(k)]
    if missing:
        names = ", ".join("DATABASE_URL" if k == "SQLALCHEMY_DATABASE_URI" else k for k in missing)
        raise ConfigurationError(
            f"Set {names} in the environment. For a local demo with no set-up, run "
            "`flask --app compliance demo` instead."
        )


def register_extensions(app: Flask) -> None:
    from compliance.extensions import babel, csrf, db, limiter, login_manager, migrate
    from compliance.sqlite import configure_sqlite

    db.init_app(app)
    is_sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    with app.app_context():
        if is_sqlite:
            configure_sqlite(db.engine)
        else:
            from compliance import db_ping, db_reads

            db_ping.install(app, db.engine)
            db_reads.install(db.engine)  # a GET's plain SELECTs: no BEGIN, no ROLLBACK
    migrate.init_app(app, db, directory=str(_asset_dir("migrations")), render_as_batch=is_sqlite)
    csrf.init_app(app)
    babel.init_app(app)
    from compliance import i18n

    i18n.init_app(app)  # templates' _() without Flask-Babel's look-ups on every call
    limiter.init_app(app)
    login_manager.init_app(app)
    from compliance import jobs
    from compliance.auth import session_loader  # noqa: F401  (registers the user loader)

    jobs.init_app(app)  # after db: its teardown dispatches committed jobs
    from compliance import tallies

    tallies.init_app(app)  # the operation report's running totals, kept at every flush
    from compliance.priorities import maintenance

    maintenance.install()  # the priority table follows every commit (session hooks)


def register_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(app.template_folder),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    WTFormsHelpers(app)
    from compliance import widgets

    widgets.install(app)  # no context processors per form field; each widget rendered once
    from compliance import links

    links.install(app)  # templates' row links from a pattern per endpoint, not Werkzeug each
    from compliance.urls import public_url

    app.add_template_global(public_url, "public_url")  # printed addresses, never the Host header
    from compliance.visits.labels import template_labels

    # The visit records' fixed choices and their words, as globals (not a context processor
    # per blueprint), so visits/_macros.html is imported without the page's context and its
    # module is built once, not on every page.
    app.jinja_env.globals.update(template_labels())
    from compliance.navigation import register_navigation

    register_navigation(app)
    from compliance import chrome

    chrome.init_app(app)


def register_blueprints(app: Flask) -> None:
    from compliance.admin import bp as admin_bp
    from compliance.assessments import bp as assessments_bp
    from compliance.auth import bp as auth_bp
    from compliance.business import bp as business_bp
    from compliance.certificates import bp as certificates_bp
    from compliance.certificates import verify_bp
    from compliance.credentials import bp as credentials_bp
    from compliance.evidence import bp as evidence_bp
    from compliance.exports import bp as exports_bp
    from compliance.filecheck import bp as filecheck_bp
    from compliance.followups import bp as followups_bp
    from compliance.jobs.routes import bp as jobs_bp
    from compliance.main import bp as main_bp
    from compliance.offline import bp as offline_bp
    from compliance.offline import root_bp as offline_root_bp
    from compliance.operations import bp as operations_bp
    from compliance.priorities import bp as priorities_bp
    from compliance.quiz import bp as quiz_bp
    from compliance.quizzes import bp as questions_bp
    from compliance.refusals import bp as refusals_bp
    from compliance.shops import bp as shops_bp
    from compliance.todo import bp as todo_bp
    from compliance.training import bp as training_bp
    from compliance.verification import bp as verification_bp
    from compliance.visits import bp as visits_bp

    for bp in (main_bp, auth_bp, business_bp, admin_bp, training_bp, quiz_bp, questions_bp,
               certificates_bp, verify_bp, filecheck_bp, credentials_bp, visits_bp, shops_bp,
               evidence_bp, exports_bp,
               followups_bp, operations_bp, priorities_bp,
               assessments_bp, refusals_bp, verification_bp, todo_bp, jobs_bp,
               offline_bp, offline_root_bp):
        app.register_blueprint(bp)
