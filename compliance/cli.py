"""`flask --app compliance …` commands. They call services, then commit."""

from __future__ import annotations

import click
from flask import Flask
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
            raise click.UsageError(f"No agency called {agency!r}. Known agencies: {names or 'none'}")
    try:
        user = admin_services.create_user(name=name, email=email, role=Role(role),
                                          agency_id=agency_id, password=password,
                                          actor=Actor(user=None, ip_address="cli"))
    except EmailTaken as exc:
        raise click.UsageError(f"An account already uses {email}") from exc
    db.session.commit()
    click.echo(f"Created {user.role.label.lower()} {user.email}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(create_user_command)
