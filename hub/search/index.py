"""Open the Whoosh index, write to it one writer at a time, and keep per-generation caches.

Readers get one searcher per thread (Whoosh file handles are not shared across threads),
refreshed when a writer has committed. What every query needs about every entry (kind,
department, category, file type, rating, date) and each reader's scope set are computed
once per index generation and shared, so a query only pays for its own terms.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from whoosh import index as whoosh_index
from whoosh.query import Or, Term

from .analysis import set_dictionary
from .schema import SCHEMA_VERSION, build_schema

log = logging.getLogger("hub.search")

VERSION_FILE = "hub_schema_version"
COLUMNS = ("kind", "dept", "category", "file_type", "rating", "date")

_write_lock = threading.RLock()
_open_lock = threading.Lock()
_local = threading.local()
_cache_lock = threading.Lock()
_generation_cache: OrderedDict = OrderedDict()


class IndexOutdated(RuntimeError):
    """The index on disk was built by another schema version: run `flask search reindex`."""


def stored_version(path: str) -> int | None:
    try:
        with open(os.path.join(path, VERSION_FILE), encoding="ascii") as fh:
            return int(fh.read().strip() or 0)
    except (OSError, ValueError):
        return None


def create_index(path: str):
    """Create an empty index at path (replacing whatever index was there)."""
    os.makedirs(path, exist_ok=True)
    ix = whoosh_index.create_in(path, build_schema())
    tmp = os.path.join(path, VERSION_FILE + ".tmp")
    with open(tmp, "w", encoding="ascii") as fh:
        fh.write(str(SCHEMA_VERSION))
    os.replace(tmp, os.path.join(path, VERSION_FILE))
    return ix


def open_index(path: str, create: bool = True):
    """Open the index at path, creating it when absent; refuse one of another schema version."""
    with _open_lock:
        if whoosh_index.exists_in(path):
            if stored_version(path) != SCHEMA_VERSION:
                raise IndexOutdated(f"search index at {path} has another schema version")
            return whoosh_index.open_dir(path)
        if not create:
            raise IndexOutdated(f"no search index at {path}")
        return create_index(path)


@contextmanager
def writing(path: str, ix=None) -> Iterator:
    """Yield the one writer (process lock plus Whoosh's file lock); commit, or cancel on error."""
    with _write_lock:
        sync_dictionary(path)
        ix = ix or open_index(path)
        writer = ix.writer(timeout=60.0, delay=0.05)
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit()


# --- reading -------------------------------------------------------------------------------


@dataclass
class Generation:
    """What every query needs to know about every entry of one committed index generation."""

    columns: dict[str, list] = field(default_factory=dict)
    scopes: OrderedDict = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class View:
    """A searcher for this thread and the shared caches of its generation."""

    searcher: object
    generation: Generation

    def column(self, name: str) -> list:
        gen = self.generation
        values = gen.columns.get(name)
        if values is None:
            values = []
            for reader, _offset in _leaves(self.searcher.reader()):
                if reader.has_column(name):
                    values.extend(reader.column_reader(name))
                else:  # an empty segment list or a field never written
                    values.extend([None] * reader.doc_count_all())
            gen.columns[name] = values
        return values

    def scope_docs(self, tokens: tuple[str, ...]) -> set[int]:
        """Return the entries any of these scope tokens admit (cached per generation: do not modify)."""
        gen = self.generation
        with gen.lock:
            docs = gen.scopes.get(tokens)
            if docs is not None:
                gen.scopes.move_to_end(tokens)
                return docs
        query = Or([Term("scope", t) for t in tokens]) if tokens else None
        docs = set(self.searcher.docs_for_query(query)) if query is not None else set()
        with gen.lock:
            gen.scopes[tokens] = docs
            while len(gen.scopes) > 32:
                gen.scopes.popitem(last=False)
        return docs


def _leaves(reader):
    if reader.is_atomic():
        return [(reader, 0)]
    return reader.leaf_readers()


def view(path: str) -> View:
    """Return this thread's up-to-date searcher for the index at path, with its generation caches."""
    sync_dictionary(path)
    searchers = getattr(_local, "searchers", None)
    if searchers is None:
        searchers = _local.searchers = {}
    searcher = searchers.get(path)
    if searcher is None:
        searcher = open_index(path).searcher()
    elif not searcher.up_to_date():
        # Not Searcher.refresh(): its reader reuse can bring back segments a merge replaced.
        searcher.close()
        searcher = open_index(path).searcher()
    searchers[path] = searcher
    key = (path, _toc_generation(searcher))
    with _cache_lock:
        gen = _generation_cache.get(key)
        if gen is None:
            gen = _generation_cache[key] = Generation()
            while len(_generation_cache) > 8:
                _generation_cache.popitem(last=False)
    return View(searcher, gen)


def _toc_generation(searcher) -> int:
    """The generation this searcher reads (not the newest on disk), so docnums match the caches."""
    gen = searcher.reader().generation()
    return -1 if gen is None else gen


def forget(path: str) -> None:
    """Drop this thread's searcher (after the index was recreated)."""
    searchers = getattr(_local, "searchers", {})
    old = searchers.pop(path, None)
    if old is not None:
        old.close()


# --- the segmenter's dictionary, as applied by the last reindex ----------------------------

DICT_FILE = "hub_dictionary.json"
_applied_dictionary: tuple | None = None


def save_dictionary(path: str, words: list[str]) -> None:
    """Record the words the index was built with (written after the rebuild commits)."""
    tmp = os.path.join(path, DICT_FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(sorted(words), fh, ensure_ascii=False)
    os.replace(tmp, os.path.join(path, DICT_FILE))


def dictionary_words(path: str) -> list[str]:
    try:
        with open(os.path.join(path, DICT_FILE), encoding="utf-8") as fh:
            return list(json.load(fh))
    except (OSError, ValueError):
        return []


def sync_dictionary(path: str) -> None:
    """Segment with the dictionary the index at path was built with (queries and updates agree)."""
    global _applied_dictionary
    try:
        stamp = os.stat(os.path.join(path, DICT_FILE)).st_mtime_ns
    except OSError:
        stamp = None
    if _applied_dictionary == (path, stamp):
        return
    set_dictionary(dictionary_words(path) if stamp else [])
    _applied_dictionary = (path, stamp)
