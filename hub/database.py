"""Database engine settings: SQLite gets WAL and foreign keys; PostgreSQL URLs are normalised."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from . import lazy_begin

MAX_ID = 2_147_483_647  # PostgreSQL INTEGER
SQLITE_POOL_SIZE = 64
PG_POOL_SIZE = 20
PG_POOL_OVERFLOW = 10


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that only matches ids a database integer column can hold."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://") or uri.startswith("postgres://"):
        # psycopg 3 is the driver we ship; a bare postgresql:// URL would ask for psycopg2.
        uri = "postgresql+psycopg://" + uri.split("://", 1)[1]
        app.config["SQLALCHEMY_DATABASE_URI"] = uri
    options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    if uri.startswith("sqlite"):
        options.setdefault("connect_args", {"timeout": 30})
        if ":memory:" not in uri and uri.rstrip("/") not in ("sqlite:", "sqlite+pysqlite:"):
            # The threaded server runs up to 50 requests at once: the default 5 (+10 overflow) made most
            # of them open and close a connection, with its PRAGMAs, per request. Idle SQLite
            # connections are only file handles.
            options.setdefault("pool_size", SQLITE_POOL_SIZE)
            options.setdefault("max_overflow", SQLITE_POOL_SIZE)
    else:
        options.setdefault("pool_pre_ping", True)
        # SQLAlchemy's pool lets a newcomer take a freed connection ahead of those waiting for one: with
        # the default 5 (+10) and 25 requests in a gevent worker, some waited seconds (hub/admission.py).
        options.setdefault("pool_size", app.config.get("DB_POOL_SIZE", PG_POOL_SIZE))
        options.setdefault("max_overflow", PG_POOL_OVERFLOW)
        # Reads outside a transaction, the first write opens one (hub/lazy_begin.py, installed by
        # install_engine_events once the engine exists).
        options.setdefault("isolation_level", "AUTOCOMMIT")


def install_engine_events(app: Flask) -> None:
    """After db.init_app: lazy transactions on a PostgreSQL engine created in autocommit."""
    from .extensions import db

    if app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("isolation_level") != "AUTOCOMMIT":
        return  # SQLite, or a level set on purpose
    with app.app_context():
        lazy_begin.install(db.engine)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Turn on WAL (readers never block the writer) and foreign keys for every SQLite connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
