"""Customer accounts and their live feed: notes, tasks, help requests, complaints."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app."""
    from .views import bp

    app.register_blueprint(bp)
