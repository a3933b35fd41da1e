"""Production mode (HUB_PRODUCTION=1, set by wsgi.py under gunicorn): refuse unsafe settings, fail fast."""

import logging
import sys

from flask import Flask
from sqlalchemy import text
from werkzeug.middleware.proxy_fix import ProxyFix
from whitenoise import WhiteNoise

from .admission import Admission
from .config import DEV_SECRET_KEY
from .extensions import db

log = logging.getLogger("hub")
STATIC_MAX_AGE = 7 * 24 * 3600


class StartupError(SystemExit):
    """A setting or a service that production cannot start without; the message says which."""

    def __init__(self, message: str):
        print(f"Hub cannot start: {message}", file=sys.stderr, flush=True)
        super().__init__(2)


def check_settings(app: Flask) -> None:
    if app.config["SECRET_KEY"] in (None, "", DEV_SECRET_KEY) or len(app.config["SECRET_KEY"]) < 16:
        raise StartupError("set HUB_SECRET_KEY to a long random value (the development key is refused)")
    if app.config["WORKER_SLOTS"] < 1:
        raise StartupError("HUB_WORKER_SLOTS must be at least 1 (reads each worker runs at once)")


def check_services(app: Flask) -> None:
    """Reach the database and, when configured, Redis, before taking traffic."""
    with app.app_context():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - any failure to connect stops the start
            raise StartupError(f"the database is unreachable ({type(exc).__name__}: {exc})") from None
        finally:
            db.session.remove()
    url = app.config.get("REDIS_URL")
    if url:
        import redis

        try:
            redis.Redis.from_url(url, socket_timeout=3).ping()
        except Exception as exc:  # noqa: BLE001
            raise StartupError(f"Redis at {url} is unreachable ({exc})") from None


def wrap(app: Flask) -> None:
    """Reads queue fairly (hub/admission.py); behind a proxy: trust one hop of X-Forwarded-*; serve
    static files compressed with cache headers, outside the queue."""
    app.wsgi_app = app.extensions["hub.admission"] = Admission(app.wsgi_app, app.config["WORKER_SLOTS"])
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    root = app.config["STATIC_DIR"]
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=root, prefix="static/", max_age=STATIC_MAX_AGE)


def init_app(app: Flask) -> None:
    check_settings(app)
    check_services(app)
    wrap(app)
    log.info("production mode: secure cookies %s", "on" if app.config["SESSION_COOKIE_SECURE"] else "off")
