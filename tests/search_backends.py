"""The `app` fixture on each search backend: Whoosh files, and PostgreSQL (HUB_SEARCH=postgres).

A search test module runs on both by importing the fixture, which replaces conftest's `app`:

    from tests.search_backends import app  # noqa: F401 - every test here runs on both backends

The PostgreSQL run needs a server: under the PostgreSQL half it is that database; in the SQLite
half a database of its own per worker (test_search_pg_gw0, ..., made on demand). Absent, it skips (fails in CI).
"""


import pytest

from hub import create_app
from tests.conftest import TEST_DATABASE_URL, app_config, serve_with_empty_database
from tests.conftest import postgres_url as conftest_postgres_url

BACKENDS = ("whoosh", "postgres")
OWN_DATABASE = "test_search_pg"


def postgres_url() -> str:
    """The PostgreSQL database the postgres backend's tests use (created on demand in the SQLite half)."""
    return conftest_postgres_url(OWN_DATABASE)


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
