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
@click.option("--format", "fmt", type=click.Choice(["gift", "moodle-xml"]), default="gift",
              show_default=True)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
def questions_export_command(fmt: str, output) -> None:
    """Write the current question bank as Moodle GIFT or Moodle XML."""
    from compliance.quizzes.transfer import export_bank

    output.write(export_bank(fmt))


@questions_cli.command("import")
@click.argument("path", type=click.File("rb"))
@click.option("--format", "fmt", type=click.Choice(["gift", "moodle-xml"]), default=None,
              help="Default: Moodle XML if the file is XML, else GIFT.")
@click.option("--module", default=None,
              help="Module (slug) for questions with no category, or one that is not a module.")
@click.option("--skip-unsupported", is_flag=True,
              help="Import the questions the portal can run and skip the others.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
def questions_import_command(path, fmt: str | None, module: str | None, skip_unsupported: bool,
                             dry_run: bool) -> None:
    """Import GIFT or Moodle XML. Every bad line is reported; a bad file changes nothing."""
    from compliance.quizzes import transfer
    from compliance.quizzes.bank import UnknownModule
    from compliance.quizzes.interchange import InterchangeError

    try:
        plan = transfer.plan_import(path.read(), module, fmt)
        for item in plan.items:
            click.echo(f"line {item.question.line}: {item.question.key} -> {item.module}: "
                       f"{transfer.CHANGES[item.change]}")
        for skip in plan.unsupported:
            click.echo(f"line {skip.line}: {skip.key}: {skip.qtype} questions are not supported",
                       err=True)
        if dry_run:
            return click.echo(f"Dry run: {len(plan.items)} questions read; nothing was imported")
        report = transfer.apply_import(plan, Actor(user=None, ip_address="cli"),
                                       skip_unsupported=skip_unsupported)
    except InterchangeError as exc:
        for line, message in exc.errors:
            click.echo(f"line {line}: {message}", err=True)
        raise click.ClickException(
            f"{len(exc.errors)} problems found; nothing was imported") from exc
    except UnicodeDecodeError as exc:
        raise click.ClickException("The file is not UTF-8 text; nothing was imported") from exc
    except UnknownModule as exc:
        raise click.ClickException(f"Unknown module {exc}; nothing was imported") from exc
    except transfer.NeedsModule as exc:
        raise click.ClickException(
            f"No module for the categories {exc}: give one with --module; nothing was "
            "imported") from exc
    except transfer.UnsupportedNotConfirmed as exc:
        raise click.ClickException(
            f"{len(exc.unsupported)} questions are of types this service cannot run (listed "
            "above). Run again with --skip-unsupported to import the others; nothing was "
            "imported") from exc
    db.session.commit()
    click.echo(f"Imported {report.read} questions: {report.added_or_changed} new versions"
               + (f"; skipped {report.skipped}" if report.skipped else ""))


certificates_cli = AppGroup("certificates", help="Certificates.")


@certificates_cli.command("expire")
def certificates_expire_command() -> None:
    """The same as `reminders send` (kept for existing cron entries)."""
    from compliance.reminders.cli import run

    run()


evidence_cli = AppGroup("evidence", help="Evidence files (photos, PDFs).")


@evidence_cli.command("purge")
@click.option("--older-than-hours", type=click.IntRange(min=1), default=24, show_default=True,
              help="Only files untouched for this long (an upload may be in progress).")
def evidence_purge_command(older_than_hours: int) -> None:
    """Remove stored files no evidence row names (uploads whose request rolled back)."""
    from datetime import timedelta

    from compliance.storage import root
    from compliance.storage.purge import purge

    result = purge(root(), timedelta(hours=older_than_hours))
    click.echo(f"Removed {result.files} file(s) no evidence refers to and {result.temporary} "
               f"unfinished write(s); {result.kept_bytes} bytes of recent ones kept for now.")


def register_cli(app: Flask) -> None:
    from compliance.exports.cli import exports_cli
    from compliance.jobs.cli import jobs_cli
    from compliance.operations.cli import operations_cli
    from compliance.priorities.cli import priorities_cli
    from compliance.reminders.cli import reminders_cli
    from compliance.seeding.cli import bench_cli

    for command in (create_user_command, content_cli, questions_cli, certificates_cli,
                    reminders_cli, bench_cli, jobs_cli, operations_cli, priorities_cli,
                    exports_cli, evidence_cli):
        app.cli.add_command(command)

