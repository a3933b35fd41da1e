"""hub/database.py's ping_when_idle on a real PostgreSQL: a connection that sat in the pool is checked
before use and replaced when its server session is gone; one in steady use costs no round trip."""

import psycopg
import pytest
from sqlalchemy import text

from hub import create_app
from hub.extensions import db

from .conftest import app_config, postgres_url, serve_with_empty_database

pytestmark = pytest.mark.postgres


def make_app(instance, ping_after: float):
    url = postgres_url("test_idle_ping")
    config = app_config(instance, url, DB_PING_AFTER_IDLE=ping_after,
                        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2, "max_overflow": 0})
    return serve_with_empty_database(create_app(config), url)


@pytest.fixture
def counted_pings(monkeypatch):
    """The dialect's own ping, run for real and counted."""
    pings = []

    def install(engine):
        real = engine.dialect.do_ping
        monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(1) or real(conn))

    return pings, install


def backend_pid() -> int:
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
    db.session.close()  # back to the pool
    return pid


def test_a_connection_whose_server_session_ended_while_idle_is_replaced(instance):
    for app in make_app(instance, ping_after=0):
        db.session.close()
        with db.engine.connect() as one, db.engine.connect() as two:  # the pool's two connections
            gone = {conn.execute(text("SELECT pg_backend_pid()")).scalar() for conn in (one, two)}
        with psycopg.connect(app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg", ""), autocommit=True) as admin:
            for pid in gone:
                assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
        assert backend_pid() not in gone  # no error: the ping found it dead and the pool opened another


@pytest.mark.parametrize("ping_after, pinged", [(60, 0), (0, 5)])
def test_only_connections_back_in_the_pool_for_the_idle_time_are_pinged(instance, counted_pings, ping_after, pinged):
    pings, install = counted_pings
    for _app in make_app(instance, ping_after=ping_after):
        db.session.close()
        install(db.engine)
        for _ in range(5):  # each checkout finds a connection returned a moment ago
            backend_pid()
        assert len(pings) == pinged
