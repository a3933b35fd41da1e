"""`flask backup PATH` and `flask restore PATH`."""

from pathlib import Path

import click
from flask_migrate import upgrade

from ..search.maintenance import reindex_all
from . import backup as backups


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
def backup_command(path: Path):
    """Write a consistent backup (database rows and uploads) into the new folder PATH, while serving."""
    try:
        manifest = backups.write_backup(path)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    rows = sum(manifest["tables"].values())
    click.echo(f"backup written to {path}: {rows} rows in {len(manifest['tables'])} tables, {manifest['upload_files']} files")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(path: Path):
    """Restore the backup at PATH into this (empty) instance, then rebuild the search index."""
    upgrade()  # create the schema when the instance is new
    try:
        result = backups.restore_backup(path)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"restored {sum(result['tables'].values())} rows and {result['upload_files']} files")
    click.echo("rebuilding the search index ...")
    reindex_all()
    click.echo("done")
