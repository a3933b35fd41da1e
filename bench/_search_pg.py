"""The PostgreSQL side of the search benchmark: a throwaway database, its size, vacuum after reindex."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/hub_bench_search"
OWN_PREFIX = "hub_bench_"  # the benchmark drops its database: it only touches names it owns
SEARCH_TABLES = ("search_entries", "search_meta")


def database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith(OWN_PREFIX):
        raise SystemExit(
            f"--pg-url: the database name must start with {OWN_PREFIX!r} (it is dropped): {name!r}"
        )
    return name


def _server(url: str) -> str:
    """A libpq URL of the same server, on the maintenance database `postgres`."""
    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://", 1))
    return parts._replace(path="/postgres").geturl()


def create_database(url: str) -> None:
    """(Re)create the database named in url, empty."""
    import psycopg

    name = database_name(url)
    with psycopg.connect(_server(url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    with psycopg.connect(_server(url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')


def vacuum_analyze() -> float:
    """VACUUM ANALYZE the database (what autovacuum does soon after a reindex); return seconds.

    A fresh search_entries has no planner statistics and its GIN indexes a pending list still to
    merge; queries timed before this would measure that transient state, not the steady one.
    """
    from hub.extensions import db

    started = time.perf_counter()
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("VACUUM ANALYZE")
    return time.perf_counter() - started


def index_size() -> tuple[int, str]:
    """Bytes of the search tables with their TOAST and indexes (GIN included), and a breakdown."""
    from hub.extensions import db

    with db.engine.connect() as conn:
        total = sum(
            conn.exec_driver_sql(f"SELECT pg_total_relation_size('{t}')").scalar_one() for t in SEARCH_TABLES
        )
        heap = conn.exec_driver_sql("SELECT pg_table_size('search_entries')").scalar_one()
        indexes = conn.execute(
            db.text(
                "SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index"
                " WHERE indrelid = 'search_entries'::regclass ORDER BY 2 DESC"
            )
        ).all()
    parts = ", ".join(f"{name.removeprefix('ix_search_entries_')} {size / 1e6:.1f}" for name, size in indexes)
    return total, f"table+TOAST {heap / 1e6:.1f} MB, indexes MB: {parts}"
