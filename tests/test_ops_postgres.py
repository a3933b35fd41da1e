"""Operations under HUB_SEARCH=postgres: /healthz counts search_entries, and no Whoosh folder is made.

They need PostgreSQL: absent, they skip (fail in CI).
"""

import os

import pytest
from sqlalchemy import text

from hub import create_app
from hub.documents.sweep import sweep
from hub.extensions import db
from tests.conftest import app_config
from tests.search_backends import backend_app
from tests.search_helpers import hits, index_now, make_document


@pytest.fixture
def app(instance):
    yield from backend_app(instance, "postgres")


def drop_every_table() -> None:
    """Leave the database empty (a migrated schema names some constraints differently from create_all)."""
    db.session.remove()
    with db.engine.begin() as connection:
        for (name,) in connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).all():
            connection.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))


def test_healthz_counts_search_entries_under_postgres(app, people):
    """Under HUB_SEARCH=postgres the index check counts search_entries rows, not a Whoosh folder; without the
    tables it fails (503)."""
    make_document(people, "健康检查", pages=["索引"])
    index_now(app)
    client = app.test_client()
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM search_entries")).scalar()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert rows > 0 and response.get_json()["checks"]["index"] == {
        "ok": True,
        "backend": "postgres",
        "documents": rows,
    }
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE search_entries, search_meta"))
    response = client.get("/healthz")
    assert response.status_code == 503
    index = response.get_json()["checks"]["index"]
    assert index["ok"] is False and index["backend"] == "postgres" and "flask db upgrade" in index["detail"]


def test_postgres_search_makes_no_index_folder(app, people, tmp_path):
    """Under HUB_SEARCH=postgres no Whoosh folder is made at start, and what used to lean on it still works:
    /healthz (disk check), reindex and check, the upload sweep, backup and restore (which rebuilds the rows)."""
    index_dir = app.config["INDEX_DIR"]
    assert not os.path.exists(index_dir) and os.path.isdir(app.config["UPLOAD_DIR"])
    doc = make_document(people, "无索引目录", pages=["数据库 全文检索"])
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json()["checks"]["disk"]["ok"] is True
    sweep()
    assert runner.invoke(args=["backup", str(tmp_path / "bk")]).exit_code == 0

    drop_every_table()  # restore into an empty database: the same server, every table dropped
    target = tmp_path / "restored"
    target.mkdir()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    other = create_app(app_config(target, url, SEARCH_BACKEND="postgres"))
    try:
        with other.app_context():
            restored = other.test_cli_runner().invoke(args=["restore", str(tmp_path / "bk")])
            assert restored.exit_code == 0, restored.output
            found = hits(other.test_client(), "全文检索", headers=people.auth("staff"))
            assert [r["id"] for r in found["results"]] == [doc]
            assert other.test_client().get("/healthz").status_code == 200
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_every_table()
    assert not os.path.exists(index_dir) and not os.path.exists(other.config["INDEX_DIR"])
