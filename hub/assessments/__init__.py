"""Key-account opening assessments: customer value quadrants and the opening position."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app."""
    from .views import bp

    app.register_blueprint(bp)
