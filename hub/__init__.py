"""Hub: the application factory."""

import logging
import os

from flask import Flask

from . import config as hub_config
from .extensions import babel, csrf, db, limiter, login_manager, migrate, socketio

log = logging.getLogger("hub")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, CLI, error handlers."""
    app = Flask(
        __name__,
        template_folder=str(hub_config.ROOT / "templates"),
        static_folder=str(hub_config.ROOT / "static"),
        instance_path=str(hub_config.ROOT / "instance"),
    )
    app.config.update(hub_config.from_environment())
    # Forms check CSRF themselves; the API is checked in hub.security (bearer tokens skip it).
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config["WTF_CSRF_TIME_LIMIT"] = None
    if test_config:
        app.config.update(test_config)
    for key in ("INSTANCE_DIR", "UPLOAD_DIR", "INDEX_DIR"):
        os.makedirs(app.config[key], exist_ok=True)

    from . import database

    database.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(hub_config.ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)

    from . import i18n

    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)

    from .auth import loaders

    login_manager.init_app(app)
    loaders.init_app(app)
    socketio.init_app(app, message_queue=app.config["REDIS_URL"], cors_allowed_origins=[])

    from . import errors, security, templating

    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)

    from .admin.views import bp as admin_bp
    from .api import bp as api_bp
    from .auth.views import bp as auth_bp
    from .departments.views import bp as departments_bp
    from .main import bp as main_bp
    from .portal.views import bp as portal_bp

    for blueprint in (auth_bp, main_bp, admin_bp, departments_bp, portal_bp, api_bp):
        app.register_blueprint(blueprint)

    from . import cli

    cli.init_app(app)
    return app
