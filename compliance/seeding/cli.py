"""`flask --app compliance bench seed --scale N`: build benchmark data in DATABASE_URL."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

bench_cli = AppGroup("bench", help="Benchmark data.")


@bench_cli.command("seed")
@click.option("--scale", type=float, default=0.001, show_default=True,
              help="1.0 is national scale (50,000 premises, 500,000 visits…).")
@click.option("--seed", "rng_seed", type=int, default=2026, show_default=True,
              help="Random seed: the same seed and day give the same data.")
@click.option("--migrate/--no-migrate", default=True, show_default=True,
              help="Run the migrations first.")
def seed_command(scale: float, rng_seed: int, migrate: bool) -> None:
    """Load the demo accounts, then bulk data at the given scale (into an empty database)."""
    from flask import current_app
    from flask_migrate import upgrade
    from sqlalchemy import text

    from compliance.extensions import db
    from compliance.jobs import dispatch_ready
    from compliance.seeding import AlreadySeeded, seed

    # The demo certificates' PDFs are rendered here and now, not left on a queue that no
    # worker may be watching yet: the benchmark downloads them.
    current_app.config["JOBS_MODE"] = "inline"

    start = time.perf_counter()
    if migrate:
        upgrade()
    try:
        report = seed(scale, rng_seed, progress=click.echo)
    except AlreadySeeded as exc:
        raise click.ClickException(f"{exc}; use an empty database") from exc
    db.session.commit()
    dispatch_ready()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))  # fresh planner statistics for the bulk rows
        db.session.commit()
    for line in report.lines():
        click.echo(line)
    click.echo(f"Seeded scale {scale} in {time.perf_counter() - start:.1f} s")
