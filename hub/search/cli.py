"""`flask search ...` commands (added by the search area's init_app): rebuild the index, and report (or repair) drift from the database."""

import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from . import backends
from .maintenance import all_items, check, reindex
from .maintenance import repair as repair_drift

search_cli = AppGroup("search", help="Build and check the full-text index.")

SHOWN = 20


@search_cli.command("reindex")
def reindex_command():
    """Rebuild the index from the database (applies the admin dictionary), with a progress bar."""
    path = current_app.config["INDEX_DIR"]
    total = len(all_items())
    started = time.perf_counter()
    with click.progressbar(
        length=total, label="indexing", file=sys.stderr, show_pos=True, show_eta=True
    ) as bar:
        written = reindex(path, progress=bar.update)
    if backends.postgres():
        rate = written / max(time.perf_counter() - started, 1e-6)
        click.echo(f"indexed {written} entries into PostgreSQL table search_entries ({rate:.0f} docs/s)")
        return
    click.echo(f"indexed {written} entries into {path}")


@search_cli.command("check")
@click.option("--repair", is_flag=True, help="Rewrite missing and stale entries and remove orphans.")
def check_command(repair):
    """Report entries missing from, stale in, or orphaned in the index; exit 1 when there is any drift."""
    path = current_app.config["INDEX_DIR"]
    drift = check(path)
    if drift.problem:
        click.echo(f"index unusable: {drift.problem}. Run `flask search reindex`.")
        sys.exit(1)
    for name in ("missing", "stale", "orphan"):
        keys = getattr(drift, name)
        if keys:
            more = f" (+{len(keys) - SHOWN} more)" if len(keys) > SHOWN else ""
            click.echo(f"{name}: {len(keys)}: {' '.join(keys[:SHOWN])}{more}")
    if drift.dictionary:
        click.echo("dictionary: changed since the last reindex. Run `flask search reindex`.")
    if drift.clean:
        click.echo("index matches the database")
        return
    if repair and (drift.missing or drift.stale or drift.orphan):
        touched = repair_drift(path, drift)
        click.echo(f"repaired {touched} entries")
        if not drift.dictionary:
            return
    sys.exit(1)
