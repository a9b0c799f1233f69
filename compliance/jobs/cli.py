"""`flask --app compliance jobs worker|relay|retry`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from compliance.extensions import db

jobs_cli = AppGroup("jobs", help="Background jobs: run a worker, relay waiting jobs.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (tests, one-off runs).")
@click.option("--sweep-seconds", default=60, show_default=True,
              help="How often an idle worker relays jobs that never reached the queue.")
def worker_command(burst: bool, sweep_seconds: int) -> None:
    """Run jobs from Redis. Stateless: run any number, on any machine."""
    from compliance.jobs import queue

    queue.work(burst=burst, sweep_seconds=sweep_seconds)


@jobs_cli.command("relay")
@click.option("--limit", default=500, show_default=True)
def relay_command(limit: int) -> None:
    """Hand over jobs that never reached the queue (Redis was down) or are due a retry."""
    from compliance.jobs import relay

    count = relay(limit)
    click.echo(f"Relayed {count} job(s).")


@jobs_cli.command("status")
def status_command() -> None:
    """Counts of the jobs not finished: waiting, queued and dead."""
    from compliance.jobs import services

    for state, count in services.counts().items():
        click.echo(f"{state}: {count}")
    db.session.rollback()
