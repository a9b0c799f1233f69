"""`flask --app compliance operations retally`: work the report tallies out again."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

operations_cli = AppGroup("operations", help="Operations and their reports.")


@operations_cli.command("retally")
def retally_command() -> None:
    """Rebuild every operation's report tallies from its submitted visits (set-based).

    Needed only after visits were written around the portal (bulk loads): the portal keeps
    the tallies itself as visits are submitted and changed."""
    from compliance import tallies
    from compliance.extensions import db

    start = time.perf_counter()
    count = tallies.rebuild(db.session.connection())
    db.session.commit()
    click.echo(f"Rebuilt {count:,} operation tallies in {time.perf_counter() - start:.1f} s")
