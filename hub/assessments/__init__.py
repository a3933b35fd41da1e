"""Key-account opening assessments: customer value quadrants and the opening position."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app."""
    from ..customers import events
    from .services import feed_text_for
    from .views import bp

    app.register_blueprint(bp)
    events.SYSTEM_BODIES["assessment"] = feed_text_for  # the feed line, worded in each reader's language
