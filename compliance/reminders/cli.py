"""`flask --app compliance reminders send`: the daily cron job."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from compliance.audit import Actor
from compliance.extensions import db

reminders_cli = AppGroup("reminders", help="Reminder emails.")


def run() -> None:
    from compliance.jobs import dispatch_ready
    from compliance.mail import queued_mailer
    from compliance.reminders.services import send_reminders

    # Each email is a job written with its reminders_sent row: both commit or neither does,
    # and a dead mail server delays the email rather than losing or repeating it.
    report = send_reminders(queued_mailer(), Actor(user=None, ip_address="cli"))
    db.session.commit()
    dispatch_ready()
    click.echo(report.summary())


@reminders_cli.command("send")
def reminders_send_command() -> None:
    """Expire certificates and email every reminder not sent before (run daily)."""
    run()
