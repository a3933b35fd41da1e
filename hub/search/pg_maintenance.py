"""PostgreSQL backend: rebuild search_entries from the database, and compare the two.

`reindex` replaces every row in one transaction (batched upserts), so searches read the old rows
until it commits and a process killed half-way changes nothing. On large databases forked worker
processes do the analysis (jieba dominates), as for Whoosh (bulk.in_pool); this process keeps the
transaction, the lock and every write. `check` compares digests, as for Whoosh; `repair` goes
through indexing.write, which hands over to pg_index.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from itertools import islice

from sqlalchemy import text

from ..extensions import db
from . import bulk
from .analysis import set_dictionary
from .pg_index import UPSERT, row, save_dictionary, stored_dictionary
from .pg_models import tables_exist

log = logging.getLogger("hub.search")

BATCH = 500
MISSING_TABLES = "the search_entries table is missing: run `flask db upgrade` on the PostgreSQL database"


def reindex(
    records: Iterable[tuple],
    words: list[str],
    progress: Callable[[int], None] | None = None,
    procs: int = 1,
) -> int:
    """Rebuild every row from records of (kind, id, Entry or None); return the number of entries written.

    With procs > 1, forked worker processes analyse the entries into rows (bulk.in_pool) while this
    process reads the records and writes the rows; either way one transaction replaces every row.
    """
    set_dictionary(words)
    written = 0
    with db.engine.begin() as connection:
        if not tables_exist(connection):
            raise RuntimeError(MISSING_TABLES)
        # Index jobs wait for the rebuild (as they wait on Whoosh's writer lock); searches read the old rows.
        connection.execute(text("LOCK TABLE search_entries IN SHARE ROW EXCLUSIVE MODE"))
        connection.execute(text("DELETE FROM search_entries"))
        present = (r for r in _counted(records, progress) if r[2] is not None)
        with closing(_batches(present, words, procs)) as batches:  # a failed UPSERT stops the workers too
            for batch in batches:
                connection.execute(UPSERT, batch)
                written += len(batch)
        save_dictionary(connection, words)
    log.info("search entries rebuilt: %d entries", written)
    return written


def _batches(records: Iterator[tuple], words: list[str], procs: int) -> Iterator[list[dict]]:
    """Rows in batches of up to BATCH: analysed by `procs` forked processes, or here when procs is 1."""
    if procs <= 1:
        for chunk in _chunks(records, BATCH):
            yield rows_of(chunk)
        return
    pool = bulk.in_pool(rows_of, records, BATCH, words, procs)
    try:
        for rows, _count in pool:
            yield rows
    finally:
        pool.close()  # stops the worker processes at once, not when the generator is collected


def rows_of(records: list[tuple]) -> list[dict]:
    """The search_entries rows of (kind, id, Entry) records (in a worker process, or in this one)."""
    return [row(kind, ident, entry) for kind, ident, entry in records]


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(items, size)):
        yield chunk


def _counted(records: Iterable[tuple], progress: Callable[[int], None] | None) -> Iterator[tuple]:
    for record in records:
        yield record
        if progress:
            progress(1)


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
