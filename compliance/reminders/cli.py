"""`flask --app compliance reminders send`: the daily cron job."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from compliance.audit import Actor
from compliance.extensions import db

reminders_cli = AppGroup("reminders", help="Reminder emails.")


def run() -> None:
    from compliance.mail import get_mailer
    from compliance.reminders.services import send_reminders

    report = send_reminders(get_mailer(), Actor(user=None, ip_address="cli"))
    db.session.commit()
    click.echo(report.summary())


@reminders_cli.command("send")
def reminders_send_command() -> None:
    """Expire certificates and email every reminder not sent before (run daily)."""
    run()
