"""The customer VIP portal: shares, announcements, requests, conversation, engagement."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app: the customer pages and the staff side (two blueprints), the
    share provider of the search index, periodic share expiry, `flask portal`, the conversation's
    Socket.IO room with its replay, and the session hooks that cut off people who were disabled."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from .. import jobs, rooms, sockets
    from . import cli, shares, staff, views
    from . import sockets as portal_sockets

    app.register_blueprint(views.bp)
    app.register_blueprint(staff.bp)
    shares.install()
    jobs.register_periodic(shares.EXPIRY_SECONDS, shares.expire_shares_now)
    app.cli.add_command(cli.group)
    sockets.register_room("portal_id", rooms.PORTAL, on_join=portal_sockets.replay)
    for name, hook in portal_sockets.SESSION_HOOKS:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
