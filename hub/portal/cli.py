"""`flask portal ...`: maintenance commands of the customer portal."""

import click
from flask.cli import AppGroup

from . import shares

group = AppGroup("portal", help="Customer portal maintenance.")


@group.command("expire")
def expire_command():
    """Apply the end of expired shares now (search index, open pages); running workers also do it every 15 s."""
    click.echo(f"{shares.handle_expired()} expired share(s) applied")
