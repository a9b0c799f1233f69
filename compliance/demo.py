"""`flask --app compliance demo`: the embedded-SQLite demo, migrated, filled and served.

This is registered as a plugin command (see pyproject), so Flask's CLI does not build an app
or push an app context for it. It builds its own app, and serves a *fresh* instance outside
any app context, so requests never share `g` (one visitor's CSRF token would leak to the next).
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

import click
from flask import Flask

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo sign-in, SQLite only
DEMO_ACCOUNTS = [
    ("admin@example.com", "Admin"),
    ("officer@example.com", "Officer"),
    ("manager@example.com", "Shop manager"),
    ("staff@example.com", "Shop staff (trained)"),
    ("trainee@example.com", "Shop staff (part way through training)"),
]


def instance_path() -> Path:
    return Path(Flask("compliance", instance_relative_config=True).instance_path)


def public_base_url(host: str, port: int) -> str:
    """The address the demo serves on, for QR codes and emailed links (a wildcard bind is
    reached on this machine at 127.0.0.1)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 - a check
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def demo_config(public_url: str = "http://127.0.0.1:5000") -> dict:
    """Settings for the embedded demo: SQLite and a random key kept in the instance folder."""
    folder = instance_path()
    folder.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'compliance.sqlite3'}"
    if not url.startswith("sqlite"):
        raise click.ClickException(
            "The demo only runs on the embedded SQLite database; it will not load demo "
            "accounts into DATABASE_URL. Unset DATABASE_URL to run the demo.")
    key_file = folder / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return {
        **demo_keys(folder),
        "SECRET_KEY": key_file.read_text().strip(),
        "SQLALCHEMY_DATABASE_URI": url,
        "SESSION_COOKIE_SECURE": False,  # served over plain http on 127.0.0.1
        "REMEMBER_COOKIE_SECURE": False,
        "MAIL_BACKEND": "log",
        "JOBS_MODE": "inline",  # certificates and emails run in-process: no Redis needed
        "PUBLIC_BASE_URL": public_url,
        "DEMO": True,
    }


def demo_keys(folder: Path) -> dict:
    """A self-signed PDF signing pair and an Ed25519 credential key, made once (demo only)."""
    from compliance.credentials.keys import create_demo_key
    from compliance.models.base import utcnow
    from compliance.signing import create_self_signed

    key, cert = create_self_signed(folder / "signing", "Knife Sales Compliance demo (untrusted)")
    create_demo_key(folder / "credential-keys", utcnow().date())
    return {"SIGNING_KEY_PATH": str(key), "SIGNING_CERT_PATH": str(cert),
            "CREDENTIAL_KEYS_DIR": str(folder / "credential-keys")}


def prepare(config: dict) -> None:
    """Migrate the demo database and load demo data (idempotent)."""
    from flask_migrate import upgrade

    from compliance import create_app
    from compliance.demo_data import (
        load_demo_assessments,
        load_demo_certificates,
        load_demo_data,
        load_demo_training,
        load_demo_verification,
        load_demo_visits,
    )
    from compliance.extensions import db

    app = create_app(config)
    with app.app_context():
        upgrade()
        load_demo_data()
        load_demo_training()
        load_demo_assessments()
        load_demo_certificates()
        load_demo_visits()
        load_demo_verification()
        db.session.commit()


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--public-url", default=None,
              help="The address people use to reach the demo, if not http://HOST:PORT.")
@click.option("--no-serve", is_flag=True, help="Prepare the database, then exit.")
def demo_command(host: str, port: int, public_url: str | None, no_serve: bool) -> None:
    """Migrate the embedded SQLite database, load demo data and serve the portal."""
    from werkzeug.serving import run_simple

    from compliance import create_app

    config = demo_config(public_url or public_base_url(host, port))
    prepare(config)
    click.echo(f"Demo database ready: {config['SQLALCHEMY_DATABASE_URI']}")
    click.echo(f"Demo sign-ins (password for each: {DEMO_PASSWORD}):")
    for email, role in DEMO_ACCOUNTS:
        click.echo(f"  {email:<22} {role}")
    if no_serve:
        return
    app = create_app(config)  # a fresh instance, outside any app context
    app.logger.setLevel(logging.INFO)
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop); printed and emailed links "
               f"use {config['PUBLIC_BASE_URL']}")
    run_simple(host, port, app, use_reloader=False, use_debugger=False, threaded=True)
