"""Operations: /healthz, JSON logs, backup and restore."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app: /healthz and the `flask backup` / `flask restore` commands."""
    from .cli import backup_command, restore_command
    from .health import bp

    app.register_blueprint(bp)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
