"""`flask --app compliance exports purge`: forget prepared exports past EXPORT_KEEP_DAYS (daily
cron; a build also purges, but a quiet site may build nothing for weeks)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

exports_cli = AppGroup("exports", help="Prepared exports (register PDFs, operation CSVs).")


@exports_cli.command("purge")
def purge_command() -> None:
    from compliance.exports import services
    from compliance.extensions import db

    count = services.purge()
    db.session.commit()
    click.echo(f"Forgot {count} export(s) older than {services.keep_days()} days.")
