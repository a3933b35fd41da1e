"""Crowd wisdom: ratings, comments with mentions, rankings, experts, view counts and their notifications."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app: its pages and the document rooms with their socket events."""
    from .. import rooms
    from .. import sockets as core
    from ..extensions import socketio
    from . import sockets
    from .views import bp

    app.register_blueprint(bp)
    core.register_room("document_id", rooms.DOCUMENT)  # the generic `join` with {"document_id": ID}
    # socketio.init_app ran before the areas, so these bind to this app's server.
    socketio.on_event("join_document", sockets.join_document)
    socketio.on_event("leave_document", sockets.leave_document)
