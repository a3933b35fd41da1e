"""`flask users ...`: create people, issue personal access tokens and password reset links, disable people."""

import click
from flask import current_app, url_for
from flask.cli import AppGroup

from ..errors import ValidationError
from . import resets, services

users_cli = AppGroup("users", help="Create people and issue personal access tokens.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", type=click.Choice(["admin", "staff", "customer"]), required=True)
@click.option("--account", "account_name", help="Customer account (created when missing); customers only.")
@click.option("--department", "department_name", help="Department to join (created when missing); staff only.")
@click.option("--job", type=click.Choice(["sales", "service", "product", "management"]), help="Staff job.")
@click.option("--password", required=True, help="Initial password (8 characters or more).")
def create_user(email, name, role, account_name, department_name, job, password):
    """Create a person, with their account or department when missing."""
    try:
        user = services.add_person(
            email, name, role, password, account_name=account_name, department_name=department_name, job=job
        )
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created user {user.id} <{user.email}> role={user.role}")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="cli", show_default=True, help="A label for the token.")
def create_token(email, name):
    """Print a new personal access token for EMAIL (on the last line)."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    if not user.active:
        raise click.ClickException(f"{email} is disabled")
    raw = services.new_token(user, name)
    click.echo(f"token for {user.email} (shown once):")
    click.echo(raw)


@users_cli.command("disable")
@click.argument("email")
def disable_user(email):
    """Disable EMAIL: their sessions and tokens stop working at once."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    services.switch_active(user, False)
    click.echo(f"disabled {user.email}")


@users_cli.command("reset-link")
@click.argument("email")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="The address people open Hub at.")
def reset_link(email, base_url):
    """Print a one-time password reset link for EMAIL (on the last line); a newer link replaces it."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    try:
        raw = resets.issue(user, None)
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from None
    with current_app.test_request_context(base_url=base_url):  # url_for needs a host to build on
        link = url_for("auth.reset_password", token=raw, _external=True)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    click.echo(f"reset link for {user.email} (shown once, works once, for {hours:g} hours):")
    click.echo(link)
