"""Open the Whoosh index (retrying when a commit races the open); the dictionary it was built with.

Searchers for queries are lent out by `readers`; the one writer is `indexing.writing`. A commit writes the next generation's TOC and
deletes the older ones (and the segments a merge replaced), so an open that listed generation N
may find its files gone: it then reads again, and finds N+1.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from whoosh import index as whoosh_index

from .analysis import set_dictionary
from .schema import SCHEMA_VERSION, build_schema

log = logging.getLogger("hub.search")

VERSION_FILE = "hub_schema_version"
COLUMNS = ("kind", "dept", "category", "file_type", "rating", "date")
ATTEMPTS = 20  # opens that may each lose the race to a commit (or to a rebuild replacing the index)

_write_lock = threading.RLock()  # one writer per process (Whoosh adds a file lock across processes)
_open_lock = threading.Lock()
T = TypeVar("T")


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


def retrying(func: Callable[[], T]) -> T:
    """Call func again when the generation it was opening vanished (a commit or a rebuild removed it)."""
    for attempt in range(ATTEMPTS):
        try:
            return func()
        except (FileNotFoundError, whoosh_index.EmptyIndexError):
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(min(0.001 * 2**attempt, 0.05))
    raise AssertionError("unreachable")


def open_index(path: str, create: bool = True):
    """Open the index at path, creating it when absent; refuse one of another schema version."""
    return retrying(lambda: _open(path, create))


def _open(path: str, create: bool):
    with _open_lock:
        if whoosh_index.exists_in(path):
            if stored_version(path) != SCHEMA_VERSION:
                raise IndexOutdated(f"search index at {path} has another schema version")
            return whoosh_index.open_dir(path)
        if not create:
            raise IndexOutdated(f"no search index at {path}")
        return create_index(path)


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
