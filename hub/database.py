"""Database engine settings: SQLite gets WAL and foreign keys; PostgreSQL gets lazy transactions, a ping
for connections that sat idle, and normalised URLs."""

import time

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from werkzeug.routing import IntegerConverter

from . import lazy_begin

MAX_ID = 2_147_483_647  # PostgreSQL INTEGER
SQLITE_POOL_SIZE = 64
PG_POOL_SIZE = 20
PG_POOL_OVERFLOW = 10
PING_AFTER_IDLE = 10.0  # seconds in the pool after which a connection is pinged before use
RETURNED_AT = "hub.returned_at"  # in the connection record's info


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
        # A connection idle for a while is pinged before use (install_engine_events), not every one:
        # pool_pre_ping's round trip on every checkout cost a request's worth of a statement.
        options.setdefault("pool_pre_ping", False)
        # SQLAlchemy's pool lets a newcomer take a freed connection ahead of those waiting for one: with
        # the default 5 (+10) and 25 requests in a gevent worker, some waited seconds (hub/admission.py).
        options.setdefault("pool_size", app.config.get("DB_POOL_SIZE", PG_POOL_SIZE))
        options.setdefault("max_overflow", PG_POOL_OVERFLOW)
        # Reads outside a transaction, the first write opens one (hub/lazy_begin.py, installed by
        # install_engine_events once the engine exists).
        options.setdefault("isolation_level", "AUTOCOMMIT")


def install_engine_events(app: Flask) -> None:
    """After db.init_app, on PostgreSQL: lazy transactions (when the engine runs in autocommit) and the
    ping of connections that sat idle (unless pool_pre_ping pings them all)."""
    from .extensions import db

    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        return
    if options.get("isolation_level") == "AUTOCOMMIT":
        lazy_begin.install(engine)
    if not options.get("pool_pre_ping"):
        ping_when_idle(engine, app.config.get("DB_PING_AFTER_IDLE", PING_AFTER_IDLE))


def ping_when_idle(engine: Engine, seconds: float) -> None:
    """Before a connection that has been back in the pool for `seconds` or more is used, ask the server
    whether it is still there; a dead one is replaced, so the request never sees it.

    A connection in steady use needs no ping: if the server goes away mid-load, the first statement
    on a dead connection fails, and SQLAlchemy then throws away every connection opened before it.
    """

    @event.listens_for(engine, "checkin")
    def _note_return(dbapi_connection, record):
        record.info[RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy):
        returned = record.info.get(RETURNED_AT)
        if returned is None or time.monotonic() - returned < seconds:
            return  # new, or just used
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # noqa: BLE001 - whatever the failure, this connection is done for
            raise DisconnectionError("connection lost while idle in the pool") from exc


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Turn on WAL (readers never block the writer) and foreign keys for every SQLite connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
