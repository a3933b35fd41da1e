"""Customer accounts and their live feed: notes, tasks, help requests, complaints."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app: its pages and the feed's Socket.IO room (with its replay)."""
    from .. import rooms, sockets
    from . import actions, events, views  # noqa: F401 - actions and views add their routes to the one blueprint
    from . import sockets as feed_sockets
    from .blueprint import bp

    app.register_blueprint(bp)
    app.add_template_global(events.body_html, "feed_html")
    app.add_template_filter(events.plain_text, "plain_snippet")
    sockets.register_room("customer_id", rooms.CUSTOMER, on_join=feed_sockets.replay)
