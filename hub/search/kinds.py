"""The registry of searchable kinds: what each kind of record puts in the index.

An area makes its records searchable by registering, from its init_app, a `Kind` (how to load
rows, turn them into an `Entry`, link to them) and the models whose changes should refresh the index:

    register(Kind("comment", Comment, build=comment_entries, url=comment_url),
             watch={Comment: lambda session, c: [("comment", c.id)]})

The core (indexing, reindex, check, query) knows no kind by name.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select

from ..extensions import db
from .analysis import fold
from .suggest_keys import keys_for


@dataclass
class Entry:
    """The searchable content of one record, with the scope tokens that may see it."""

    title: str
    scope: Sequence[str]
    body: str = ""
    tags: Sequence[str] = ()
    dept: int | None = None
    category: str = ""
    file_type: str = ""
    rating: float | None = None
    date: datetime | None = None
    parent: str = ""  # key of the record it hangs on ("document:3"), so deleting that removes it
    typeable: Sequence[str] = ()  # extra texts suggestions should match (names, tags)


@dataclass
class Kind:
    name: str
    model: type
    # rows -> {id: Entry}; a row missing from the answer is not (or no longer) searchable
    build: Callable[[list], dict[int, Entry]]
    url: Callable[[int, int | None], str]
    searchable: bool = True  # False: offered as a suggestion only (people)
    # ids -> {id: [(page number or None, text)]}: the text snippets are cut from
    passages: Callable[[list[int]], dict[int, list[tuple[int | None, str]]]] | None = None
    # ids -> [(kind, id)] of records whose entry derives from these (comments of a document)
    dependents: Callable[[list[int]], list[tuple[str, int]]] | None = None
    options: tuple = ()  # loader options for batches
    batch_size: int = 200
    extra: dict = field(default_factory=dict)

    def load(self, ids: Iterable[int]) -> list:
        ids = list(ids)
        if not ids:
            return []
        stmt = select(self.model).where(self.model.id.in_(ids))
        if self.options:
            stmt = stmt.options(*self.options)
        return list(db.session.scalars(stmt))

    def entries(self, ids: Iterable[int]) -> dict[int, Entry]:
        rows = self.load(ids)
        return self.build(rows) if rows else {}

    def all_ids(self) -> list[int]:
        return list(db.session.scalars(select(self.model.id).order_by(self.model.id)))


KINDS: dict[str, Kind] = {}
# model class -> functions (session, obj) -> [(kind, id)] naming what a change to obj refreshes
WATCHES: dict[type, list[Callable]] = {}


_WATCHED: dict[str, list[tuple[type, Callable]]] = {}  # kind name -> its entries in WATCHES


def register(kind: Kind, watch: dict[type, Callable] | None = None) -> Kind:
    """Add (or replace: init_app runs for every app) a kind and the models whose changes refresh it."""
    for model, func in _WATCHED.pop(kind.name, ()):
        WATCHES[model].remove(func)
    KINDS[kind.name] = kind
    for model, func in (watch or {}).items():
        WATCHES.setdefault(model, []).append(func)
        _WATCHED.setdefault(kind.name, []).append((model, func))
    return kind


def get(name: str) -> Kind | None:
    return KINDS.get(name)


def searchable_kinds() -> list[str]:
    return [k.name for k in KINDS.values() if k.searchable]


def make_key(kind: str, ident: int) -> str:
    return f"{kind}:{ident}"


def resolve(todo: dict[tuple[str, int], str]) -> tuple[list[tuple[str, int, Entry]], list[str]]:
    """What an index write of `todo` ({(kind, id): "refresh"|"delete"}) does, for either backend: the
    entries to (re)write, and the keys to remove (deleted, no longer searchable, or of an unknown kind)."""
    by_kind: dict[str, list[int]] = {}
    for (kind, ident), _op in todo.items():
        by_kind.setdefault(kind, []).append(ident)
    present, gone = [], []
    for kind, ids in by_kind.items():
        spec = get(kind)
        if spec is None:
            gone += [make_key(kind, i) for i in ids]
            continue
        refresh = [i for i in ids if todo[(kind, i)] != "delete"]
        entries = spec.entries(refresh) if refresh else {}
        for ident in ids:
            entry = entries.get(ident)
            if entry is None:
                gone.append(make_key(kind, ident))
            else:
                present.append((kind, ident, entry))
    return present, gone


def column_rows(stmt, params: dict):
    """Rows of a built column statement, run on the session's connection (its transaction).

    session.execute would do the ORM's per-statement work (entity result set-up, loading) for
    reads that make no objects; its autoflush is kept, so pending changes are still seen.
    """
    session = db.session
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection().execute(stmt, params)


def split_key(key: str) -> tuple[str, int]:
    kind, _, ident = key.partition(":")
    return kind, int(ident)


def epoch(value: datetime | None) -> int:
    """Milliseconds since the epoch (UTC), 0 for none."""
    if value is None:
        return 0
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1000)


def to_fields(kind: str, ident: int, entry: Entry) -> dict:
    """Turn an Entry into the Whoosh document for it, with a digest for `search check`."""
    tags = [fold(t).strip() for t in entry.tags if t and t.strip()]
    fields = {
        "key": make_key(kind, ident),
        "kind": kind,
        "parent": entry.parent,
        "scope": " ".join(sorted(set(entry.scope))),
        "title": entry.title or "",
        "body": "\n".join([entry.title or "", " ".join(tags), entry.body or ""]),  # matching needs body only
        "tags": ",".join(tags),
        "dept": "" if entry.dept is None else str(entry.dept),
        "category": entry.category or "",
        "file_type": entry.file_type or "",
        "rating": int(round((entry.rating or 0) * 100)),
        "date": epoch(entry.date),
        "suggest": " ".join(keys_for([entry.title, *entry.typeable, *tags])),
    }
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    fields["digest"] = hashlib.sha1(payload.encode("utf-8")).hexdigest()
    return fields
