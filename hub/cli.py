"""Flask commands: demo data. (`flask users` comes from hub.auth, `flask db ...` from Flask-Migrate.)"""

import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .extensions import db

demo_cli = AppGroup("demo", help="Demo data for trying Hub.")


@demo_cli.command("load")
def load_demo():
    """Load the demo company: people, documents with previews, Q&A, feeds, assessments, portal (idempotent)."""
    from . import demo

    started = time.monotonic()
    created = demo.load()
    db.session.commit()
    # Previews and the search index are made now, so the first page of every demo login is complete.
    ran = demo.finish(current_app._get_current_object())
    if created:
        click.echo(f"demo data loaded in {time.monotonic() - started:.1f} s ({ran} background jobs run)")
    else:
        click.echo("demo data already present: nothing changed")
    click.echo(demo.logins_text())


def init_app(app: Flask) -> None:
    """App-level commands; each area adds its own groups from its init_app (`flask worker` is hub.jobs')."""
    app.cli.add_command(demo_cli)
