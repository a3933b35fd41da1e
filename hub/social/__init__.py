"""Crowd wisdom: ratings, comments with mentions, rankings, experts, view counts and their notifications."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app."""
    from .views import bp

    app.register_blueprint(bp)
