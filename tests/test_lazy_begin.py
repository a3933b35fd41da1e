"""hub/lazy_begin.py on a real PostgreSQL: reads outside a transaction, writes inside one.

Each test would fail if reads opened transactions again (BEGIN/ROLLBACK round trips, prepared
statements forgotten), or if a write ran outside a transaction (a rollback that undoes nothing, a lock
let go at once, a snapshot lost).
"""

import psycopg
import pytest
from sqlalchemy import select, text

from hub import create_app
from hub.extensions import db
from hub.lazy_begin import plain_read
from hub.models import Department

from .conftest import app_config, postgres_url, serve_with_empty_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(instance):
    url = postgres_url("test_lazy_begin")
    # two connections, no more: the test's session and a request's; the last test reads both
    app = create_app(app_config(instance, url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2, "max_overflow": 0}))
    yield from serve_with_empty_database(app, url)


def raw_connection():
    return db.session.connection().connection.dbapi_connection


def other_connection(app):
    """A second, plain psycopg connection to the same database, outside Hub's pool."""
    return psycopg.connect(app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg", ""), autocommit=True)


@pytest.mark.parametrize("sql, reads", [
    ("SELECT id FROM departments WHERE id = %(id)s", True),
    ("  (SELECT 1) UNION ALL (SELECT 2)", True),
    ("SELECT id FROM departments FOR UPDATE", False),
    ("SELECT id FROM departments WHERE id = 1\nFOR NO KEY UPDATE OF departments", False),
    ("SELECT id FROM departments FOR SHARE NOWAIT", False),
    ("SELECT id FROM departments for key share", False),
    ("WITH gone AS (DELETE FROM departments RETURNING id) SELECT count(*) FROM gone", False),
    ("INSERT INTO departments (name) VALUES (%(name)s)", False),
    ("SAVEPOINT sa_savepoint_1", False),
    ("SELECT set_config('statement_timeout', %(t)s, true)", False),
    ("SELECT pg_advisory_xact_lock(%(key)s)", False),
    ("SELECT nextval('documents_id_seq')", False),
    ("CREATE TABLE t (id int)", False),
])
def test_only_a_plain_select_counts_as_a_read(sql, reads):
    assert plain_read(sql) is reads


def test_reads_leave_no_transaction_open(app):
    db.session.execute(select(Department.id)).all()
    raw = raw_connection()
    assert raw.autocommit and raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_a_rollback_undoes_every_write_since_the_first(app):
    db.session.execute(select(Department.id)).all()  # a read first: the transaction starts at the write
    db.session.add(Department(name="华东销售部"))
    db.session.flush()
    db.session.execute(text("UPDATE departments SET name = '华南销售部'"))
    assert raw_connection().info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
    with other_connection(app) as other:  # not committed: nobody else sees it yet
        assert other.execute("SELECT count(*) FROM departments").fetchone() == (0,)
    db.session.rollback()
    assert db.session.scalar(select(db.func.count(Department.id))) == 0


def test_after_a_commit_reads_run_outside_a_transaction_again(app):
    db.session.add(Department(name="华东销售部"))
    db.session.commit()  # the session gives its connection back to the pool
    assert db.session.scalar(select(Department.name)) == "华东销售部"
    raw = raw_connection()
    assert raw.autocommit and raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    db.session.close()
    with db.engine.connect() as conn:  # a connection kept across its commit
        conn.execute(text("UPDATE departments SET name = '华南销售部'"))
        conn.commit()
        assert conn.execute(select(Department.name)).scalar() == "华南销售部"
        raw = conn.connection.dbapi_connection
        assert raw.autocommit and raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_select_for_update_holds_its_lock_until_the_commit(app):
    db.session.add(Department(name="华东销售部"))
    db.session.commit()
    db.session.execute(select(Department.id).with_for_update()).all()
    with other_connection(app) as other:
        with pytest.raises(psycopg.errors.LockNotAvailable):
            other.execute("SELECT id FROM departments FOR UPDATE NOWAIT")
        db.session.commit()
        assert len(other.execute("SELECT id FROM departments FOR UPDATE NOWAIT").fetchall()) == 1


def test_a_snapshot_asked_for_stays_one_snapshot(app):
    """As hub/ops/backup.py reads every table: in REPEATABLE READ, a commit in between stays unseen."""
    with db.engine.execution_options(isolation_level="REPEATABLE READ").connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM departments")).scalar() == 0
        with other_connection(app) as other:
            other.execute("INSERT INTO departments (name, description, active, created_at) VALUES ('华东销售部', '', true, now())")
        assert conn.execute(text("SELECT count(*) FROM departments")).scalar() == 0
    assert db.session.scalar(select(db.func.count(Department.id))) == 1


def test_statements_stay_prepared_from_one_request_to_the_next(app, people):
    """psycopg prepares a statement it has run five times on a connection; a ROLLBACK made it forget
    them all, so with a transaction per request nothing ever stayed prepared."""
    db.session.close()
    for _ in range(14):  # the pool hands its two connections out in turn: 7 runs on each
        assert app.test_client().get("/api/v1/documents", headers=people.auth("staff")).status_code == 200
    prepared = []
    with db.engine.connect() as one, db.engine.connect() as two:
        for conn in (one, two):
            prepared += conn.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars().all()
    assert any("FROM documents" in sql for sql in prepared), prepared
