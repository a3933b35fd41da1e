"""Rebuild the index from the database, and compare the two.

`reindex` writes every entry into fresh segments (in worker processes on large databases, see
bulk) and commits once, replacing the old segments: a process killed half-way leaves the
previous index intact and `check` names what differs. `check` recomputes each record's entry and compares digests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from whoosh.writing import CLEAR

from ..extensions import db
from . import backends, bulk
from . import kinds as registry
from .analysis import set_dictionary
from .index import (
    IndexOutdated,
    _write_lock,
    create_index,
    dictionary_words,
    open_index,
    save_dictionary,
    stored_version,
)
from .indexing import index_dir, write
from .models import SearchWord
from .readers import committed, forget
from .schema import SCHEMA_VERSION

log = logging.getLogger("hub.search")

PARALLEL_FROM = 2000  # entries; below this, starting processes costs more than it saves


def admin_words() -> list[str]:
    return sorted(db.session.scalars(select(SearchWord.word)))


def all_items() -> list[tuple[str, int]]:
    return [(name, ident) for name, kind in registry.KINDS.items() for ident in kind.all_ids()]


def _records(items: list[tuple[str, int]], batch: int = 500) -> Iterator[tuple[str, int, registry.Entry | None]]:
    """Yield (kind, id, Entry or None) for items, loading each kind in batches (a few queries per batch)."""
    by_kind: dict[str, list[int]] = {}
    for kind, ident in items:
        by_kind.setdefault(kind, []).append(ident)
    for kind, ids in by_kind.items():
        spec = registry.get(kind)
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            entries = spec.entries(chunk)
            for ident in chunk:
                yield kind, ident, entries.get(ident)
            if len(ids) > batch:
                db.session.expunge_all()  # keep memory flat on large databases


def _expected_digests() -> dict[str, str]:
    """{key: digest} of every entry the database says the index should hold."""
    return {
        registry.make_key(kind, ident): fields["digest"]
        for kind, ident, fields in _entries(all_items())
        if fields is not None
    }


def _entries(items: list[tuple[str, int]]) -> Iterator[tuple[str, int, dict | None]]:
    """Yield (kind, id, fields or None) for items."""
    for kind, ident, entry in _records(items):
        yield kind, ident, registry.to_fields(kind, ident, entry) if entry else None


def reindex(path: str, progress: Callable[[int], None] | None = None, procs: int | None = None) -> int:
    """Rebuild the whole index at path from the database; return the number of entries written.

    From PARALLEL_FROM entries on, worker processes analyse and write the segments (see bulk) and this
    process commits them; below, this process writes one segment itself. Either way one commit
    replaces every old segment. On PostgreSQL the workers analyse the rows and this process writes them.
    """
    items = all_items()
    words = admin_words()
    if procs is None:
        procs = bulk.pool_size() if len(items) >= PARALLEL_FROM else 1
    if backends.postgres():
        from . import pg_maintenance

        return pg_maintenance.reindex(_records(items), words, progress, procs)
    with _write_lock:
        set_dictionary(words)
        try:
            ix = open_index(path)
        except IndexOutdated:
            forget(path)
            ix = create_index(path)
        writer = ix.writer(timeout=60.0, delay=0.05, limitmb=256)
        try:
            if procs > 1:
                rows = ((k, i, e) for k, i, e in _counted(_records(items), progress) if e is not None)
                segments, written = bulk.write_segments(path, rows, len(items), words, procs)
            else:
                written = 0
                for _kind, _ident, fields in _counted(_entries(items), progress):
                    if fields is not None:
                        writer.add_document(**fields)
                        written += 1
        except BaseException:
            writer.cancel()
            raise
        if procs > 1:
            writer.commit(mergetype=lambda _writer, _old: list(segments))  # the new segments replace all
        else:
            writer.commit(mergetype=CLEAR)
        save_dictionary(path, words)
    committed(path)  # every segment was replaced: close the idle searchers holding the old ones
    log.info("search index rebuilt: %d entries", written)
    return written


def _counted(rows: Iterator, progress: Callable[[int], None] | None) -> Iterator:
    for row in rows:
        yield row
        if progress:
            progress(1)


def reindex_all() -> int:
    """Rebuild the whole index from the database (what `flask search reindex` does, without the bar)."""
    return reindex(index_dir())


@dataclass
class Drift:
    problem: str = ""  # the index cannot be used at all (missing, other schema version)
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    orphan: list[str] = field(default_factory=list)
    dictionary: bool = False  # admins changed the dictionary since the last reindex

    @property
    def clean(self) -> bool:
        return not (self.problem or self.missing or self.stale or self.orphan or self.dictionary)


def check(path: str) -> Drift:
    """Compare the index with what the database says it should hold."""
    if backends.postgres():
        from . import pg_maintenance

        return pg_maintenance.check(Drift(), admin_words(), _expected_digests)
    drift = Drift()
    if stored_version(path) not in (None, SCHEMA_VERSION):
        drift.problem = f"schema version {stored_version(path)} on disk, {SCHEMA_VERSION} expected"
        return drift
    try:
        ix = open_index(path, create=False)
    except IndexOutdated as exc:
        drift.problem = str(exc)
        return drift
    except Exception as exc:  # noqa: BLE001 - a damaged index is a finding, not a crash
        drift.problem = f"the index does not open: {exc}"
        return drift
    drift.dictionary = sorted(dictionary_words(path)) != admin_words()
    with ix.searcher() as searcher:
        indexed = {f["key"]: f.get("digest") for f in searcher.all_stored_fields()}
    expected = {}
    for kind, ident, fields in _entries(all_items()):
        if fields is not None:
            expected[registry.make_key(kind, ident)] = fields["digest"]
    drift.missing = sorted(k for k in expected if k not in indexed)
    drift.orphan = sorted(k for k in indexed if k not in expected)
    drift.stale = sorted(k for k, d in expected.items() if k in indexed and indexed[k] != d)
    return drift


def repair(path: str, drift: Drift) -> int:
    """Rewrite the missing and stale entries and remove the orphans; return how many were touched."""
    todo = {registry.split_key(k): "refresh" for k in drift.missing + drift.stale}
    todo.update({registry.split_key(k): "delete" for k in drift.orphan})
    write(todo, path)
    return len(todo)
