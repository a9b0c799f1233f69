"""`flask --app compliance …` commands. They call services, then commit."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from compliance.admin import services as admin_services
from compliance.audit import Actor
from compliance.auth.passwords import password_problems
from compliance.auth.services import EmailTaken
from compliance.extensions import db
from compliance.models import Agency, Role


@click.command("create-user")
@click.option("--email", required=True, help="Sign-in email address.")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", type=click.Choice([Role.OFFICER.value, Role.ADMIN.value]),
              required=True)
@click.option("--agency", help="The officer's agency, by its exact name.")
@click.password_option(help="Prompted for when not given (input hidden).")
def create_user_command(email: str, name: str, role: str, agency: str | None,
                        password: str) -> None:
    """Create an officer or admin account."""
    from flask import current_app

    problems = password_problems(password, min_length=current_app.config["PASSWORD_MIN_LENGTH"],
                                 email=email)
    if problems:
        raise click.UsageError(problems[0])
    agency_id = None
    if role == Role.OFFICER.value:
        if not agency:
            raise click.UsageError("An officer needs --agency")
        agency_id = db.session.scalar(select(Agency.id).where(Agency.name == agency))
        if agency_id is None:
            names = ", ".join(db.session.scalars(select(Agency.name).order_by(Agency.name)))
            raise click.UsageError(
                f"No agency called {agency!r}. Known agencies: {names or 'none'}")
    try:
        user = admin_services.create_user(name=name, email=email, role=Role(role),
                                          agency_id=agency_id, password=password,
                                          actor=Actor(user=None, ip_address="cli"))
    except EmailTaken as exc:
        raise click.UsageError(f"An account already uses {email}") from exc
    db.session.commit()
    click.echo(f"Created {user.role.label.lower()} {user.email}")




content_cli = AppGroup("content", help="Reviewed training content.")
questions_cli = AppGroup("questions", help="The quiz question bank.")


@content_cli.command("load")
def content_load_command() -> None:
    """Load modules, sources and questions from the package's content files (idempotent)."""
    from compliance.training.content import load_content

    report = load_content()
    db.session.commit()
    click.echo(f"Content loaded: {report.summary()}")


@questions_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["gift"]), default="gift", show_default=True)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
def questions_export_command(fmt: str, output) -> None:
    """Write the current question bank in Moodle's GIFT format."""
    from compliance.quizzes.bank import export_gift

    output.write(export_gift())


@questions_cli.command("import")
@click.argument("path", type=click.File("r", encoding="utf-8"))
def questions_import_command(path) -> None:
    """Import a GIFT file. Every bad line is reported; a bad file changes nothing."""
    from compliance.quizzes.bank import UnknownModule, import_gift
    from compliance.quizzes.gift import GiftError

    try:
        report = import_gift(path.read(), Actor(user=None, ip_address="cli"))
    except GiftError as exc:
        db.session.rollback()
        for line, message in exc.errors:
            click.echo(f"line {line}: {message}", err=True)
        raise click.ClickException(
            f"{len(exc.errors)} problems found; nothing was imported") from exc
    except UnknownModule as exc:
        db.session.rollback()
        raise click.ClickException(
            f"Unknown module categories: {exc}; nothing was imported") from exc
    db.session.commit()
    click.echo(f"Imported {report.read} questions: {report.added_or_changed} new versions")


certificates_cli = AppGroup("certificates", help="Certificates.")


@certificates_cli.command("expire")
def certificates_expire_command() -> None:
    """Mark expired certificates and email reminders 30 days before expiry (run daily)."""
    from compliance.certificates.queries import expire_certificates
    from compliance.mail import get_mailer

    report = expire_certificates(get_mailer(), Actor(user=None, ip_address="cli"))
    db.session.commit()
    click.echo(f"{report.expired} certificates marked expired, {report.reminded} reminders sent, "
               f"{report.status_changes} premises certificates changed status")


def register_cli(app: Flask) -> None:
    for command in (create_user_command, content_cli, questions_cli, certificates_cli):
        app.cli.add_command(command)
