"""PostgreSQL backend: entries whose typing keys start with what was typed, newest first.

The keys (text, pinyin, initials; suggest_keys) are lexemes of the `suggest` tsvector, so a prefix
tsquery (`'key':*`) finds them through its GIN index, with no extension.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ..extensions import db
from . import kinds as registry
from .pg_index import quote, usable

log = logging.getLogger("hub.search")


def matches(key: str, tokens: tuple, kinds: set, limit: int) -> list[dict]:
    """Up to `limit` entries the reader may see whose suggestion keys start with key (stored fields)."""
    if not usable(key):
        return []
    params = {"tokens": list(tokens), "q": f"{quote(key)}:*", "n": int(limit)}
    sql = "SELECT key, title, tags FROM search_entries WHERE scope && CAST(:tokens AS text[])"
    if kinds != set(registry.KINDS):
        sql += " AND kind = ANY(CAST(:kinds AS text[]))"
        params["kinds"] = sorted(kinds)
    sql += " AND suggest @@ CAST(:q AS tsquery) ORDER BY date DESC, key LIMIT :n"
    timeout_ms = int(current_app.config.get("SEARCH_STATEMENT_TIMEOUT_MS") or 2000)
    try:
        with db.engine.connect() as conn, conn.begin():
            conn.execute(text("SELECT set_config('statement_timeout', :t, true)"), {"t": f"{timeout_ms}ms"})
            rows = conn.execute(text(sql), params).mappings().all()
    except DBAPIError:
        log.exception("search: PostgreSQL suggestions failed")
        return []
    return [{"key": r["key"], "title": r["title"], "tags": ",".join(r["tags"] or ())} for r in rows]
