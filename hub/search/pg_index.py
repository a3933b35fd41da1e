"""PostgreSQL backend: turning entries into search_entries rows, and writing them.

`terms` is built here, not by PostgreSQL's parser: Hub's `analyze` segments title, tags and body
(the one analysis both backends use) and the lexemes go in as a tsvector literal with their
positions (consecutive, as Whoosh numbers them, so phrases match alike) and weights (title A,
tags B, body D). The literal travels as a bound parameter; queries quote their lexemes the same way
(pg_query), so what is indexed is exactly what is asked for: PostgreSQL's `simple` parser would split
tokens such as "v2.0" or "crm-pro" again and shift every position after them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from sqlalchemy import text

from ..extensions import db
from . import kinds
from .analysis import analyze, fold, set_dictionary

log = logging.getLogger("hub.search")

MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_LEXEME = 256  # PostgreSQL keeps no more
MAX_LEXEME_BYTES = 2046  # PostgreSQL refuses a lexeme of 2 KB or more
MAX_DEPTH = 3  # as indexing: comments hang on documents, replies on comments
DICTIONARY = "dictionary"

UPSERT = text(
    """
    INSERT INTO search_entries
        (key, kind, parent, scope, terms, title, tags, dept, category, file_type, rating, date, suggest, digest)
    VALUES
        (:key, :kind, :parent, CAST(:scope AS text[]), CAST(:terms AS tsvector), :title, CAST(:tags AS text[]),
         :dept, :category, :file_type, :rating, :date, CAST(:suggest AS tsvector), :digest)
    ON CONFLICT (key) DO UPDATE SET
        kind = EXCLUDED.kind, parent = EXCLUDED.parent, scope = EXCLUDED.scope, terms = EXCLUDED.terms,
        title = EXCLUDED.title, tags = EXCLUDED.tags, dept = EXCLUDED.dept, category = EXCLUDED.category,
        file_type = EXCLUDED.file_type, rating = EXCLUDED.rating, date = EXCLUDED.date,
        suggest = EXCLUDED.suggest, digest = EXCLUDED.digest
    """
)

# An entry and, to MAX_DEPTH, the entries hanging on it (whether or not the entry itself is indexed).
DELETE_TREES = text(
    """
    WITH RECURSIVE tree(key, depth) AS (
        SELECT k, 0 FROM unnest(CAST(:keys AS text[])) AS k
        UNION
        SELECT e.key, t.depth + 1 FROM search_entries e JOIN tree t ON e.parent = t.key
        WHERE t.depth < :depth
    )
    DELETE FROM search_entries WHERE key IN (SELECT key FROM tree)
    """
)


def quote(lexeme: str) -> str:
    """A lexeme as tsvector/tsquery input: in single quotes, quotes doubled, backslashes escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def usable(token: str) -> bool:
    return bool(token) and "\x00" not in token and len(token.encode("utf-8")) <= MAX_LEXEME_BYTES


def terms_vector(title: str, tags: Iterable[str], body: str) -> str:
    """The tsvector literal of an entry: each analysed term with its positions and weights."""
    positions: dict[str, list[str]] = {}
    pos = 0
    for weight, part in (("A", title or ""), ("B", " ".join(tags)), ("D", body or "")):
        for token in analyze(part):
            pos = min(pos + 1, MAX_POSITION)
            if not usable(token):
                continue
            seen = positions.setdefault(token, [])
            if len(seen) < MAX_POSITIONS_PER_LEXEME and (pos < MAX_POSITION or not seen):
                seen.append(f"{pos}{weight}")
    return " ".join(f"{quote(t)}:{','.join(p)}" for t, p in positions.items())


def keys_vector(keys: Iterable[str]) -> str:
    return " ".join(quote(k) for k in dict.fromkeys(keys) if usable(k))


def row(kind: str, ident: int, entry: kinds.Entry) -> dict:
    """The search_entries row of an entry (its digest is the Whoosh entry's, so `check` compares alike)."""
    fields = kinds.to_fields(kind, ident, entry)
    tags = [fold(t).strip() for t in entry.tags if t and t.strip()]
    return {
        "key": fields["key"],
        "kind": kind,
        "parent": entry.parent or "",
        "scope": sorted(set(entry.scope)),
        "terms": terms_vector(entry.title, tags, entry.body),
        "title": entry.title or "",
        "tags": tags,
        "dept": entry.dept,
        "category": entry.category or "",
        "file_type": entry.file_type or "",
        "rating": fields["rating"],
        "date": fields["date"],
        "suggest": keys_vector(fields["suggest"].split()),
        "digest": fields["digest"],
    }


# --- the dictionary the table was built with (Whoosh keeps it in a file beside its segments) -------

_parsed: tuple[str | None, list[str]] = (None, [])  # the stored value last read, and its words


def sync_dictionary(connection) -> None:
    """Segment with the dictionary the table was built with, so queries and updates agree with it.

    set_dictionary is called every time (it does nothing when the words are the segmenter's already):
    a Whoosh index of the same process may have applied others in between.
    """
    global _parsed
    stored = connection.execute(
        text("SELECT value FROM search_meta WHERE name = :n"), {"n": DICTIONARY}
    ).scalar()
    if stored != _parsed[0]:
        try:
            words = list(json.loads(stored)) if stored else []
        except ValueError:
            words = []
        _parsed = (stored, words)
    set_dictionary(_parsed[1])


def save_dictionary(connection, words: list[str]) -> None:
    value = json.dumps(sorted(words), ensure_ascii=False)
    connection.execute(
        text(
            "INSERT INTO search_meta (name, value) VALUES (:n, :v) "
            "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value"
        ),
        {"n": DICTIONARY, "v": value},
    )


def stored_dictionary(connection) -> list[str]:
    stored = connection.execute(
        text("SELECT value FROM search_meta WHERE name = :n"), {"n": DICTIONARY}
    ).scalar()
    try:
        return list(json.loads(stored)) if stored else []
    except ValueError:
        return []


# --- writing ---------------------------------------------------------------------------------


def write(todo: dict[tuple[str, int], str]) -> int:
    """Upsert the entries for `todo` and delete (with their trees) those gone; return how many were written."""
    with db.engine.begin() as connection:
        sync_dictionary(connection)  # the terms below are cut with the dictionary the table records
        present, gone = kinds.resolve(todo)
        rows = [row(kind, ident, entry) for kind, ident, entry in present]
        if gone:
            connection.execute(DELETE_TREES, {"keys": gone, "depth": MAX_DEPTH})
        if rows:  # in key order, so two writers lock shared rows in the same order (no deadlock)
            connection.execute(UPSERT, sorted(rows, key=lambda r: r["key"]))
    log.debug("search entries: %d written, %d removed", len(rows), len(gone))
    return len(rows)
