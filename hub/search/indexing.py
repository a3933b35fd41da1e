"""Keep the index in step with the database: after each commit, in the background, one writer.

Changes to watched models are noted at flush time; just before the commit they become one
`search.index` job in the same transaction (so the job exists exactly when the data does).
The job re-reads each record and writes its entry, or removes it (with the entries that hang
on it) when the record is gone or no longer searchable. Other areas call `schedule(kind, id)`
or `schedule_delete(kind, id)` for changes the watches cannot see. The search area's init_app
listens with SESSION_HOOKS and declares the `search.index` task.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from flask import current_app, has_app_context
from sqlalchemy import inspect
from sqlalchemy.orm import Session
from whoosh.query import Term

from .. import jobs
from ..extensions import db
from ..models import Job
from . import backends, kinds
from .index import _write_lock, open_index, sync_dictionary
from .readers import committed

log = logging.getLogger("hub.search")

PENDING = "hub_search_pending"
SYNC = "hub_search_sync"
_QUEUE_TABLE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
TASK = "search.index"
MAX_DEPTH = 3


def index_dir() -> str:
    return current_app.config["INDEX_DIR"]


# --- noting changes ------------------------------------------------------------------------


def _pending(session: Session) -> dict:
    return session.info.setdefault(PENDING, {})


def schedule(kind: str, ident: int, session: Session | None = None) -> None:
    """Refresh the entry of (kind, id) once the current transaction commits."""
    _pending(session or db.session())[(kind, int(ident))] = "refresh"


def schedule_delete(kind: str, ident: int, session: Session | None = None) -> None:
    """Remove the entry of (kind, id) (and the entries hanging on it) once the transaction commits."""
    _pending(session or db.session())[(kind, int(ident))] = "delete"


def _note_changes(session: Session, flush_context) -> None:
    if not kinds.WATCHES:
        return
    pending = None
    for obj in (*session.new, *session.dirty, *session.deleted):
        for func in kinds.WATCHES.get(type(obj), ()):
            if pending is None:
                pending = _pending(session)
            for item in func(session, obj):
                if item[1] is not None:
                    pending.setdefault((item[0], int(item[1])), "refresh")


def _enqueue(session: Session) -> None:
    """Turn what this transaction changed into one indexing job, committed with the data."""
    if not has_app_context():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # note the last changes too
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    items = [[kind, ident, op] for (kind, ident), op in sorted(pending.items())]
    if session is db.session() and _queue_usable(session):
        jobs.enqueue(TASK, items=items)
    else:
        session.info.setdefault(SYNC, []).extend(items)


def _index_without_queue(session: Session) -> None:
    """Without a usable job queue (no jobs table yet, or SEARCH_INDEX_SYNC), index right after commit."""
    items = session.info.pop(SYNC, None)
    if not items or not has_app_context():
        return
    app = current_app._get_current_object()
    try:
        with app.app_context():  # a fresh session: this one cannot run SQL during after_commit
            apply(items)
    except Exception:  # noqa: BLE001 - the data is committed; `search check` names what to redo
        log.exception("search: indexing %d changed records failed", len(items))


def _queue_usable(session: Session) -> bool:
    if current_app.config["SEARCH_INDEX_SYNC"]:
        return False
    engine = session.get_bind()
    usable = _QUEUE_TABLE.get(engine)
    if usable is None:
        usable = _QUEUE_TABLE[engine] = inspect(session.connection()).has_table(Job.__tablename__)
    return usable


def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(SYNC, None)


SESSION_HOOKS = (
    ("after_flush", _note_changes),
    ("before_commit", _enqueue),
    ("after_commit", _index_without_queue),
    ("after_rollback", _forget),
)


def index_task(items: list) -> None:
    """The background job: bring these entries, and those of every other queued index job, up to date
    with one writer commit (see batching); the others are marked done only once that commit is made."""
    from . import batching

    marker, claimed, more = batching.claim(TASK)
    try:
        apply(_in_order(items, more))
    except Exception:
        if not claimed:
            raise
        batching.release(marker, claimed)
        apply(items)  # this job's own records alone; its failure is then recorded as before
        return
    batching.finish(marker, claimed)


def _in_order(*batches: list) -> list:
    """One [kind, id, op] per record, the later job's op winning (a refresh after a delete restores it)."""
    merged: dict[tuple[str, int], str] = {}
    for batch in batches:
        for kind, ident, op in batch:
            merged.pop((kind, int(ident)), None)
            merged[(kind, int(ident))] = op
    return [[kind, ident, op] for (kind, ident), op in merged.items()]


# --- writing -------------------------------------------------------------------------------


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
    committed(path)  # idle searchers of the old generation close now


def apply(items: Iterable, path: str | None = None) -> int:
    """Refresh or delete these [kind, id, op] entries and their dependents; return how many were written."""
    path = path or index_dir()
    todo: dict[tuple[str, int], str] = {}
    frontier = [(k, int(i), op) for k, i, op in items]
    for _depth in range(MAX_DEPTH):
        for kind, ident, op in frontier:
            todo[(kind, ident)] = "delete" if op == "delete" or todo.get((kind, ident)) == "delete" else op
        nxt = []
        by_kind: dict[str, list[int]] = {}
        for kind, ident, _op in frontier:
            by_kind.setdefault(kind, []).append(ident)
        for kind, ids in by_kind.items():
            spec = kinds.get(kind)
            if spec is not None and spec.dependents is not None:
                nxt += [(k, i, "refresh") for k, i in spec.dependents(ids) if (k, i) not in todo]
        if not nxt:
            break
        frontier = nxt
    return write(todo, path)


def write(todo: dict[tuple[str, int], str], path: str) -> int:
    """Write the entries for `todo` with the one writer; records gone from the database are removed."""
    if backends.postgres():
        from . import pg_index

        return pg_index.write(todo)
    present, gone = kinds.resolve(todo)
    docs = [kinds.to_fields(kind, ident, entry) for kind, ident, entry in present]
    with writing(path) as writer:
        # One searcher for every lookup (update_document would open one per entry, over every segment).
        with writer.searcher() as searcher:
            for key in gone:
                _delete_tree(writer, searcher, key)
            for fields in docs:
                writer.delete_by_term("key", fields["key"], searcher=searcher)
        for fields in docs:
            writer.add_document(**fields)
    log.debug("search index: %d written, %d removed", len(docs), len(gone))
    return len(docs)


def _delete_tree(writer, searcher, key: str, depth: int = 0) -> None:
    """Delete an entry and, recursively, the entries whose parent it is (comments of a document)."""
    if depth < MAX_DEPTH:
        children = [hit["key"] for hit in searcher.search(Term("parent", key), limit=None)]
        for child in children:
            _delete_tree(writer, searcher, child, depth + 1)
    writer.delete_by_term("key", key, searcher=searcher)
