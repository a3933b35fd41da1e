"""Flask commands: demo data. (`flask users` comes from hub.auth, `flask db ...` from Flask-Migrate.)"""

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db

demo_cli = AppGroup("demo", help="Demo data for trying Hub.")


@demo_cli.command("load")
def load_demo():
    """Load the demo departments, people, accounts and Q&A (idempotent)."""
    from . import demo

    created = demo.load()
    db.session.commit()
    click.echo("demo data loaded" if created else "demo data already present")
    click.echo(demo.logins_text())


def init_app(app: Flask) -> None:
    """App-level commands; each area adds its own groups from its init_app (`flask worker` is hub.jobs')."""
    app.cli.add_command(demo_cli)
