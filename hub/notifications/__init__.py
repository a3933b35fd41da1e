"""Personal notifications: stored, pushed to `user:<id>`, shown under the bell."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app."""
    from .views import bp

    app.register_blueprint(bp)
