"""Hub: the application factory."""

import logging
import os

from flask import Flask

from . import config as hub_config
from . import database
from .extensions import babel, csrf, db, limiter, login_manager, migrate, socketio

log = logging.getLogger("hub")


def areas() -> tuple:
    """Every area of Hub, in the order they are wired; each one's `init_app` declares all it adds."""
    from . import (
        admin,
        api,
        assessments,
        auth,
        customers,
        departments,
        documents,
        follows,
        main,
        notifications,
        ops,
        portal,
        search,
        social,
    )

    return (
        auth,
        main,
        admin,
        departments,
        documents,
        search,
        customers,
        notifications,
        follows,
        portal,
        social,
        assessments,
        ops,
        api,  # last: the API sits on top of the areas
    )


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, CLI, error handlers."""
    app = Flask(
        __name__,
        template_folder=str(hub_config.ROOT / "templates"),
        static_folder=str(hub_config.ROOT / "static"),
        instance_path=str(hub_config.ROOT / "instance"),
    )
    app.config.update(hub_config.from_environment())
    # Ids in URLs fit a 32-bit database integer; bigger numbers match no route (404), never overflow a query.
    app.url_map.converters["int"] = database.BoundedIntConverter
    # Forms check CSRF themselves; the API is checked in hub.security (bearer tokens skip it).
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config["WTF_CSRF_TIME_LIMIT"] = None
    if test_config:
        app.config.update(test_config)
    hub_config.finish(app.config)  # defaults that follow TESTING
    from .search import backends

    for key in backends.folders(app):  # under postgres no Whoosh folder: it would stay empty
        os.makedirs(app.config[key], exist_ok=True)

    from . import session_cookie

    session_cookie.init_app(app)
    database.init_app(app)
    db.init_app(app)
    database.install_engine_events(app)
    migrate.init_app(app, db, directory=str(hub_config.ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)

    from . import i18n

    babel.init_app(app, locale_selector=i18n.babel_locale)
    i18n.init_app(app)

    from .auth import loaders

    login_manager.init_app(app)
    loaders.init_app(app)
    from . import socket_close

    # Our own client manager (Redis message queue or local), made fresh for every app so a later app
    # (a test, say) never inherits another app's queue; it can close a room's sockets on every process.
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["REDIS_URL"],
        client_manager=socket_close.make_manager(app.config["REDIS_URL"]),
        # Default origin check: only pages of this host may open a socket with its cookies.
    )
    socket_close.init_app(app)

    from . import errors, security, templating

    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)

    for area in areas():
        area.init_app(app)

    from . import cli, jobs, sockets

    jobs.init_app(app)
    sockets.init_app(app)
    cli.init_app(app)

    from .ops import logs

    logs.init_app(app)
    if app.config["PRODUCTION"]:
        from . import production

        production.init_app(app)
    security.wrap(app)
    return app
