"""The rows a page of hits needs from every kind (passages, link targets) and department names, in one
statement: a UNION ALL of each part's own select, so a page costs one round trip, not one per kind.

A part is a select over `bindparam("ids", expanding=True)` and a function turning its rows (in the
select's column order) into what the page needs. In the union every part's columns go to typed slots
(whole numbers, texts, a flag) padded with typed NULLs, so PostgreSQL and SQLite agree on each column's
type; rows come back ordered by part, then by the whole-number slots (a document's id, then page
number, as its own select orders them). The union of each combination of parts is built once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from sqlalchemy import Boolean, Integer, Text, bindparam, cast, literal_column, null, union_all
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from .kinds import column_rows

_SLOTS = {"int": 5, "text": 3, "flag": 1}
_TYPES = {"int": Integer(), "text": Text(), "flag": Boolean()}


@dataclass(frozen=True)
class Part:
    name: str  # names the part in the cache of built unions (with its variant: "document+thumb")
    statement: object  # a select over bindparam("ids", expanding=True)
    slots: tuple[str, ...]  # "int", "text" or "flag" per column of the statement
    finish: Callable  # rows -> what the page needs


_built: dict[tuple[str, ...], tuple] = {}
_lock = threading.Lock()


def read(parts: list[tuple[Part, list[int]]]) -> list:
    """Each part's finish(rows) for its ids, from one statement (or the part's own, when alone)."""
    if len(parts) == 1:
        part, ids = parts[0]
        return [part.finish(list(column_rows(part.statement, {"ids": list(ids)})))]
    names = tuple(part.name for part, _ids in parts)
    built = _built.get(names)
    if built is None:
        built = _union([part for part, _ids in parts])
        with _lock:
            if len(_built) > 512:
                _built.clear()
            _built[names] = built
    statement, getters = built
    found: list[list] = [[] for _ in parts]
    params = {f"ids_{n}": list(ids) for n, (_part, ids) in enumerate(parts)}
    for row in column_rows(statement, params):
        found[row[0]].append(getters[row[0]](row))
    return [part.finish(rows) for (part, _ids), rows in zip(parts, found, strict=True)]


def _union(parts: list[Part]):
    selects, getters = [], []
    for n, part in enumerate(parts):
        columns = list(part.statement.selected_columns)
        if len(columns) != len(part.slots):
            raise ValueError(f"{part.name}: {len(columns)} columns, {len(part.slots)} slots")
        taken = {kind: 0 for kind in _SLOTS}
        where: list[int] = []  # union column of each of the part's columns
        slotted: dict[tuple[str, int], object] = {}
        for column, kind in zip(columns, part.slots, strict=True):
            slotted[(kind, taken[kind])] = column
            where.append(_position(kind, taken[kind]))
            taken[kind] += 1
        out = [literal_column(str(n), Integer).label("part")]
        for kind, count in _SLOTS.items():
            for i in range(count):
                column = slotted.get((kind, i))
                value = cast(null(), _TYPES[kind]) if column is None else column
                out.append(value.label(f"{kind}{i}"))
        select = _renamed(part.statement.order_by(None), f"ids_{n}").with_only_columns(*out)
        selects.append(select)
        getters.append(_getter(where))
    ints = [f"int{i}" for i in range(_SLOTS["int"])]
    union = union_all(*selects)
    statement = union.order_by(*[union.selected_columns[name] for name in ("part", *ints)])
    return statement, getters


def _position(kind: str, index: int) -> int:
    position = 1  # after the part number
    for name, count in _SLOTS.items():
        if name == kind:
            if index >= count:
                raise ValueError(f"more {kind} columns than slots")
            return position + index
        position += count
    raise ValueError(kind)


def _getter(where: list[int]):
    if len(where) == 1:
        single = itemgetter(where[0])
        return lambda row: (single(row),)
    return itemgetter(*where)


def _renamed(statement, name: str):
    """The statement with its "ids" parameter renamed (each part of a union needs its own)."""

    def replace(element):
        if isinstance(element, BindParameter) and element.key == "ids":
            return bindparam(name, expanding=True, type_=element.type)
        return None

    return visitors.replacement_traverse(statement, {}, replace)
