"""`flask --app compliance priorities rebuild | rescore`: the maintained priority table."""

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


@priorities_cli.command("rescore")
def rescore_command() -> None:
    """Store the new score of every row whose rescore_at has passed (cron, every few
    minutes: until then the list works those rows' scores out on every page)."""
    from compliance.extensions import db
    from compliance.priorities.scoring import rescore

    start = time.perf_counter()
    count = rescore(db.session.connection(), only_stale=True)
    db.session.commit()
    click.echo(f"Rescored {count:,} premises in {time.perf_counter() - start:.1f} s")
