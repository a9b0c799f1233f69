"""`flask --app compliance priorities rebuild`: recompute the whole priority table."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

priorities_cli = AppGroup("priorities", help="The maintained visit-priority table.")


@priorities_cli.command("rebuild")
def rebuild_command() -> None:
    """Recompute every premises' row (after COPY, raw SQL or a restore bypassed the hooks)."""
    from compliance.extensions import db
    from compliance.priorities.table import rebuild

    start = time.perf_counter()
    count = rebuild(db.session.connection())
    db.session.commit()
    click.echo(f"Rebuilt the priority table: {count:,} premises in "
               f"{time.perf_counter() - start:.1f} s")
