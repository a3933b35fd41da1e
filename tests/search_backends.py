"""The `app` fixture on each search backend: Whoosh files, and PostgreSQL (HUB_SEARCH=postgres).

A search test module runs on both by importing the fixture, which replaces conftest's `app`:

    from tests.search_backends import app  # noqa: F401 - every test here runs on both backends

The PostgreSQL run needs a server: under the PostgreSQL half it is that database; in the SQLite
half a database of its own per worker (test_search_pg_gw0, ..., made on demand). Absent, it skips (fails in CI).
"""

import os

import pytest

from hub import create_app
from tests.conftest import TEST_DATABASE_URL, app_config, serve_with_empty_database, service_missing

BACKENDS = ("whoosh", "postgres")
OWN_DATABASE = "test_search_pg"
SERVER = os.environ.get("HUB_TEST_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")


def postgres_url() -> str:
    """The PostgreSQL database the postgres backend's tests use (created on demand in the SQLite half)."""
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    # one per pytest-xdist worker: files on two workers would otherwise drop each other's tables
    own = f"{OWN_DATABASE}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    try:
        import psycopg

        with psycopg.connect(f"{SERVER}/test", autocommit=True, connect_timeout=5) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (own,)).fetchone():
                conn.execute(f'CREATE DATABASE "{own}"')
    except Exception as exc:  # noqa: BLE001 - any failure means the service is absent
        service_missing("PostgreSQL", str(exc))
    return f"{SERVER.replace('postgresql://', 'postgresql+psycopg://', 1)}/{own}"


def backend_app(instance, backend: str, **extra):
    """Yield a test app whose search runs on `backend`, with empty tables (and an empty index)."""
    url = postgres_url() if backend == "postgres" else TEST_DATABASE_URL
    app = create_app(app_config(instance, url, SEARCH_BACKEND=backend, **extra))
    # on PostgreSQL the search tables are dropped either way; only the postgres backend gets them back
    search_tables = (backend == "postgres") if url else None
    yield from serve_with_empty_database(app, url, search_tables)


@pytest.fixture(params=BACKENDS)
def app(request, instance):
    yield from backend_app(instance, request.param)
