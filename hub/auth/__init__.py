"""Sign-in, sign-out, sessions and personal access tokens; the `users` commands."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app: its pages and `flask users`."""
    from .cli import users_cli
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
