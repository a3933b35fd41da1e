"""Customer accounts and their live feed: notes, tasks, help requests, complaints."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app: its pages and the feed's Socket.IO room (with its replay)."""
    from .. import rooms, sockets
    from . import actions, views  # noqa: F401 - both add their routes to the one blueprint
    from . import sockets as feed_sockets
    from .blueprint import bp

    app.register_blueprint(bp)
    sockets.register_room("customer_id", rooms.CUSTOMER, on_join=feed_sockets.replay)
