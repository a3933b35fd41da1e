"""PostgreSQL backend: rebuild search_entries from the database, and compare the two.

`reindex` replaces every row in one transaction (batched upserts), so searches read the old rows
until it commits and a process killed half-way changes nothing. `check` compares digests, as for
Whoosh; `repair` goes through indexing.write, which hands over to pg_index.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from sqlalchemy import text

from ..extensions import db
from .analysis import set_dictionary
from .pg_index import UPSERT, row, save_dictionary, stored_dictionary
from .pg_models import tables_exist

log = logging.getLogger("hub.search")

BATCH = 500
MISSING_TABLES = "the search_entries table is missing: run `flask db upgrade` on the PostgreSQL database"


def reindex(records: Iterable[tuple], words: list[str], progress: Callable[[int], None] | None = None) -> int:
    """Rebuild every row from records of (kind, id, Entry or None); return the number of entries written."""
    set_dictionary(words)
    written = 0
    with db.engine.begin() as connection:
        if not tables_exist(connection):
            raise RuntimeError(MISSING_TABLES)
        # Index jobs wait for the rebuild (as they wait on Whoosh's writer lock); searches read the old rows.
        connection.execute(text("LOCK TABLE search_entries IN SHARE ROW EXCLUSIVE MODE"))
        connection.execute(text("DELETE FROM search_entries"))
        batch: list[dict] = []
        for kind, ident, entry in records:
            if entry is not None:
                batch.append(row(kind, ident, entry))
            if len(batch) >= BATCH:
                connection.execute(UPSERT, batch)
                written += len(batch)
                batch = []
            if progress:
                progress(1)
        if batch:
            connection.execute(UPSERT, batch)
            written += len(batch)
        save_dictionary(connection, words)
    log.info("search entries rebuilt: %d entries", written)
    return written


def check(drift, words: list[str], expected_digests: Callable[[], dict[str, str]]):
    """Fill drift (a maintenance.Drift): search_entries against what the database says it should hold."""
    with db.engine.connect() as connection:
        if not tables_exist(connection):
            drift.problem = MISSING_TABLES
            return drift
        indexed = dict(connection.execute(text("SELECT key, digest FROM search_entries")).all())
        drift.dictionary = sorted(stored_dictionary(connection)) != sorted(words)
    expected = expected_digests()
    drift.missing = sorted(k for k in expected if k not in indexed)
    drift.orphan = sorted(k for k in indexed if k not in expected)
    drift.stale = sorted(k for k, d in expected.items() if k in indexed and indexed[k] != d)
    return drift
