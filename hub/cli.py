"""Flask commands: demo data and people. (`flask db ...` comes from Flask-Migrate.)"""

import click
from flask import Flask
from flask.cli import AppGroup

from .auth import services
from .extensions import db

users_cli = AppGroup("users", help="Create people and issue personal access tokens.")
demo_cli = AppGroup("demo", help="Demo data for trying Hub.")


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
        user = services.create_user(
            email, name, role, password, account_name=account_name, department_name=department_name, job=job
        )
    except services.ValidationError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
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
    raw = services.issue_token(user, name)
    db.session.commit()
    click.echo(f"token for {user.email} (shown once):")
    click.echo(raw)


@users_cli.command("disable")
@click.argument("email")
def disable_user(email):
    """Disable EMAIL: their sessions and tokens stop working at once."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    services.set_active(user, False)
    db.session.commit()
    click.echo(f"disabled {user.email}")


@demo_cli.command("load")
def load_demo():
    """Load the demo departments, people, accounts and Q&A (idempotent)."""
    from . import demo

    created = demo.load()
    db.session.commit()
    click.echo("demo data loaded" if created else "demo data already present")
    click.echo(demo.logins_text())


def init_app(app: Flask) -> None:
    from .ops.cli import backup_command, restore_command
    from .search.cli import search_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)

    from . import jobs

    jobs.register_cli(app)  # `flask worker`
