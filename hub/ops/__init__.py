"""Operations: /healthz, JSON logs, backup and restore."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app."""
    from .health import bp

    app.register_blueprint(bp)
