"""Searchers for every request thread of the process: one opened index per directory, searchers lent out.

A Whoosh reader keeps file positions, so a searcher serves one search at a time: `reading(path)`
lends an idle searcher of the newest committed generation (or opens one) and takes it back
afterwards. Searchers of an older generation are closed once idle (until then Whoosh keeps the
segment files a merge deleted open and mapped). Not Searcher.refresh(): its reader reuse brings
back segments a merge replaced. The version file's identity tells a rebuilt index (whose
generation numbers start again) from the one the searchers read.

What every query needs about every entry (kind, department, category, file type, rating, date) and
each reader's scope set are computed once per generation and shared, so a query pays for its terms.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from whoosh.query import Or, Term

from .docsets import matching_docs
from .expansion import expand
from .index import VERSION_FILE, open_index, retrying, sync_dictionary
from .postings import TermPostings, read_term
from .postings import size as postings_size

MAX_IDLE = 8  # idle searchers kept per index; more are closed when given back
MAX_STORED = 20_000  # stored-field dicts kept per generation (hits of recent pages)
MAX_MEMO = 100_000  # entries (matched sets, scores, key sets) a generation's memo keeps, all keys together
MAX_POSTINGS = 500_000  # postings a generation keeps read (postings.py): about 50 MB at most

_pools_lock = threading.Lock()
_pools: dict[str, _Pool] = {}
_cache_lock = threading.Lock()
_generation_cache: OrderedDict = OrderedDict()


@dataclass
class Generation:
    """What every query needs to know about every entry of one committed index generation."""

    columns: dict[str, list] = field(default_factory=dict)
    scopes: OrderedDict = field(default_factory=OrderedDict)
    expansions: OrderedDict = field(default_factory=OrderedDict)  # (field, prefix) -> expansion.expand
    stored: dict = field(default_factory=dict)  # docnum -> stored fields
    memo: OrderedDict = field(default_factory=OrderedDict)  # key -> (size, value), see View.memo
    memo_size: int = 0
    postings: OrderedDict = field(default_factory=OrderedDict)  # (field, text) -> postings.TermPostings
    postings_size: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class View:
    """A searcher lent to this search and the shared caches of its generation."""

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

    def stored(self, docnum: int) -> dict:
        """The entry's stored fields (cached per generation, as they cannot change in it: do not modify)."""
        cache = self.generation.stored
        found = cache.get(docnum)
        if found is None:
            found = self.searcher.stored_fields(docnum)
            if len(cache) >= MAX_STORED:
                cache.clear()
            cache[docnum] = found
        return found

    def scope_docs(self, tokens: tuple[str, ...]) -> set[int]:
        """Return the entries any of these scope tokens admit (cached per generation: do not modify)."""
        gen = self.generation
        with gen.lock:
            docs = gen.scopes.get(tokens)
            if docs is not None:
                gen.scopes.move_to_end(tokens)
                return docs
        query = Or([Term("scope", t) for t in tokens]) if tokens else None
        docs = matching_docs(self.searcher, query) if query is not None else set()
        with gen.lock:
            gen.scopes[tokens] = docs
            while len(gen.scopes) > 32:
                gen.scopes.popitem(last=False)
        return docs

    def expansion(self, fieldname: str, prefix: str) -> tuple[tuple[str, ...], bool]:
        """`expansion.expand` in this generation (cached: its terms do not change)."""
        gen, key = self.generation, (fieldname, prefix)
        with gen.lock:
            found = gen.expansions.get(key)
        if found is None:
            found = expand(self.searcher.reader(), fieldname, prefix)
            with gen.lock:
                gen.expansions[key] = found
                while len(gen.expansions) > 256:
                    gen.expansions.popitem(last=False)
        return found

    def postings(self, fieldname: str, text) -> TermPostings:
        """The term's live postings in this generation (postings.read_term, kept within MAX_POSTINGS,
        least recently used out first). Shared: do not modify."""
        gen, key = self.generation, (fieldname, text)
        with gen.lock:
            found = gen.postings.get(key)
            if found is not None:
                gen.postings.move_to_end(key)
                return found
        found = read_term(self.searcher, fieldname, text)
        count = postings_size(found)
        if count > MAX_POSTINGS // 4:
            return found
        with gen.lock:
            if key not in gen.postings:
                gen.postings[key] = found
                gen.postings_size += count
                while gen.postings_size > MAX_POSTINGS:
                    _key, dropped = gen.postings.popitem(last=False)
                    gen.postings_size -= postings_size(dropped)
        return found

    def memo(self, key, compute):
        """compute(), remembered in this generation under key (a hashable description of a query's
        inputs: its answer cannot change within a generation). The value is shared: do not modify.
        Sets and dicts (in the value and the key) count their length against MAX_MEMO, least recently
        used out first; a value bigger than an eighth of it is not kept."""
        gen = self.generation
        try:
            with gen.lock:
                found = gen.memo.get(key)
                if found is not None:
                    gen.memo.move_to_end(key)
                    return found[1]
        except TypeError:  # an unhashable query part: nothing to remember it by
            return compute()
        value = compute()
        size = 1 + _size(value) + sum(_size(part) for part in key)
        if size > MAX_MEMO // 8:
            return value
        with gen.lock:
            old = gen.memo.pop(key, None)
            gen.memo_size += size - (old[0] if old else 0)
            gen.memo[key] = (size, value)
            while gen.memo_size > MAX_MEMO:
                _key, (dropped, _value) = gen.memo.popitem(last=False)
                gen.memo_size -= dropped
        return value


def _size(value) -> int:
    return len(value) if isinstance(value, (set, frozenset, dict)) else 0


def _leaves(reader):
    if reader.is_atomic():
        return [(reader, 0)]
    return reader.leaf_readers()


def identity(path: str) -> tuple | None:
    """Which index is on disk: create_index replaces the version file, so a rebuild changes this."""
    try:
        st = os.stat(os.path.join(path, VERSION_FILE))
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class _Pool:
    """The opened index at one path and its idle searchers, all of generation `newest`."""

    def __init__(self, path: str):
        self.path = path
        self.lock = threading.Lock()  # held for bookkeeping only, never around file access
        self.ix = None
        self.stamp: tuple | None = None
        self.newest = -2
        self.idle: list = []

    def lease(self) -> tuple[tuple, object]:
        return retrying(self._lease)

    def _lease(self) -> tuple[tuple, object]:
        stamp = identity(self.path)
        with self.lock:
            ix = self.ix if stamp is not None and stamp == self.stamp else None
        if ix is None:  # first use, or the index was rebuilt: open it again
            ix = open_index(self.path)
            stamp = identity(self.path)
            self._retire(self._reset(ix, stamp))
        latest = ix.latest_generation()
        with self.lock:
            retired = self._advance(stamp, latest)
            searcher = self.idle.pop() if stamp == self.stamp and self.idle else None
            key = (stamp, self.newest)
        self._retire(retired)
        if searcher is not None:
            return key, searcher
        searcher = ix.searcher()
        gen = searcher.reader().generation()
        key = (stamp, -1 if gen is None else gen)  # the generation it reads, so docnums match the caches
        with self.lock:
            retired = self._advance(stamp, key[1])
        self._retire(retired)
        return key, searcher

    def give_back(self, key: tuple, searcher) -> None:
        with self.lock:
            if key == (self.stamp, self.newest) and len(self.idle) < MAX_IDLE:
                self.idle.append(searcher)
                return
        searcher.close()

    def committed(self) -> None:
        """A writer of this process committed: the idle searchers are out of date, close them now."""
        with self.lock:
            ix, stamp = self.ix, self.stamp
        try:
            latest = ix.latest_generation() if ix is not None else None
        except OSError:
            latest = None
        with self.lock:
            retired = self._advance(stamp, latest) if latest is not None else []
            retired += self.idle
            self.idle = []
        self._retire(retired)

    def forget(self) -> None:
        self._retire(self._reset(None, None))

    # call with self.lock held; they return the searchers to close once it is released
    def _advance(self, stamp, gen: int) -> list:
        if stamp != self.stamp or gen <= self.newest:
            return []
        self.newest, retired, self.idle = gen, self.idle, []
        return retired

    def _reset(self, ix, stamp) -> list:
        with self.lock:
            self.ix, self.stamp, self.newest = ix, stamp, -2
            retired, self.idle = self.idle, []
        return retired

    @staticmethod
    def _retire(searchers: list) -> None:
        for searcher in searchers:
            searcher.close()


def _pool(path: str) -> _Pool:
    key = os.path.abspath(path)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = _Pool(key)
        return pool


def _generation(path: str, key: tuple) -> Generation:
    with _cache_lock:
        gen = _generation_cache.get((path, key))
        if gen is None:
            gen = _generation_cache[(path, key)] = Generation()
            while len(_generation_cache) > 8:
                _generation_cache.popitem(last=False)
        return gen


@contextmanager
def reading(path: str) -> Iterator[View]:
    """Lend an up-to-date searcher of the index at path for one search, with its generation caches."""
    sync_dictionary(path)
    pool = _pool(path)
    key, searcher = pool.lease()
    try:
        yield View(searcher, _generation(pool.path, key))
    finally:
        pool.give_back(key, searcher)


def committed(path: str) -> None:
    _pool(path).committed()


def forget(path: str) -> None:
    """Drop the opened index and its idle searchers (the index was recreated or removed)."""
    _pool(path).forget()
