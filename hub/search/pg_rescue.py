"""PostgreSQL backend: respellings of unknown English words, without pg_trgm or fuzzystrmatch.

Whoosh walks its lexicon for words within two edits. Here the candidates are generated instead:
every single edit (deletion, transposition, substitution, insertion) of the typed word, stemmed as
the index stems; the GIN index on `terms` says which of them occur and in how many entries. One edit
of the typed form often lands two edits away in stems ("pricng" -> "pricing" -> "price").
"""

from __future__ import annotations

import logging
import string

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ..extensions import db
from .analysis import _stem as stem
from .pg_index import quote

log = logging.getLogger("hub.search")

MAX_WORD = 20  # longer words give too many candidates for one statement
COUNT_CAP = 1000  # entries counted per candidate at most: enough to prefer the common spelling

FREQUENCIES = text(
    """
    SELECT c.lexeme, (SELECT count(*) FROM (SELECT 1 FROM search_entries
                      WHERE terms @@ CAST(c.query AS tsquery) LIMIT :cap) AS found) AS n
    FROM unnest(CAST(:lexemes AS text[]), CAST(:queries AS text[])) AS c(lexeme, query)
    """
)


def _edits(word: str) -> set[str]:
    letters = string.ascii_lowercase
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    return out


def respellings(words: list[str]) -> dict[str, str]:
    """{typed word: index term} for the words whose stem occurs nowhere but a one-edit respelling does."""
    replaced: dict[str, str] = {}
    timeout_ms = int(current_app.config.get("SEARCH_STATEMENT_TIMEOUT_MS") or 2000)
    try:
        with db.engine.connect() as conn, conn.begin():
            conn.execute(text("SELECT set_config('statement_timeout', :t, true)"), {"t": f"{timeout_ms}ms"})
            for word in words:
                lower = word.lower()
                term = stem(lower)
                if len(lower) > MAX_WORD or _counts(conn, [term]).get(term):
                    continue  # a known word: its absence is about the other words or the filters
                found = _counts(conn, sorted({stem(e) for e in _edits(lower) if e} - {term}))
                if found:
                    best = max(found.items(), key=lambda kv: (kv[1], -abs(len(kv[0]) - len(term)), kv[0]))
                    replaced[word] = best[0]
    except DBAPIError:
        log.exception("search: PostgreSQL respellings failed")
        return {}
    return replaced


def _counts(conn, lexemes: list[str]) -> dict[str, int]:
    if not lexemes:
        return {}
    params = {"lexemes": lexemes, "queries": [quote(x) for x in lexemes], "cap": COUNT_CAP}
    return {lexeme: n for lexeme, n in conn.execute(FREQUENCIES, params) if n}
