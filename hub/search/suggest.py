"""Suggestions while typing: titles, tags, people and accounts, also by pinyin and its initials."""

from __future__ import annotations

from flask import current_app, url_for
from whoosh.query import Prefix

from .. import policy
from . import backends
from . import kinds as registry
from .index import IndexOutdated
from .presenting import KIND_LABELS
from .readers import reading
from .suggest_keys import keys_for, query_key

LIMIT = 8
MAX_TAGS = 3


def suggest(user, q: str, limit: int = LIMIT, path: str | None = None) -> list[dict]:
    """Return up to `limit` suggestions the reader may see, newest first within each kind order."""
    key = query_key(q or "")
    if not key or (key.isascii() and len(key) < 2):
        return []
    tokens = tuple(policy.search_scope(user))
    kinds = set(policy.search_kinds(user, list(registry.KINDS)))
    if not tokens or not kinds:
        return []
    try:
        if backends.postgres():
            from . import pg_suggest

            out, tags = _shape(pg_suggest.matches(key, tokens, kinds, limit * 3), key)
        else:
            with reading(path or current_app.config["INDEX_DIR"]) as v:
                out, tags = _collect(v, key, tokens, kinds, limit)
    except IndexOutdated:
        return []
    ordered = (list(tags.values())[:MAX_TAGS] + _dedupe(out))[:limit]
    for item in ordered:
        item["detail"] = str(KIND_LABELS.get(item["kind"], item["kind"]))
    return ordered


def _collect(v, key: str, tokens: tuple, kinds: set, limit: int) -> tuple[list[dict], dict]:
    """Entries and tags whose suggestion keys start with key, among those the reader may see."""
    allowed = v.scope_docs(tokens)
    if kinds != set(registry.KINDS):
        kind_col = v.column("kind")
        allowed = {d for d in allowed if kind_col[d] in kinds}
    if not allowed:
        return [], {}
    results = v.searcher.search(
        Prefix("suggest", key),
        limit=limit * 3,
        filter=allowed,
        sortedby="date",
        reverse=True,
        scored=False,
    )
    return _shape(results, key)


def _shape(results, key: str) -> tuple[list[dict], dict]:
    """Suggestions from matched entries (stored fields: key, title, tags), and the tags that match too."""
    out, tags = [], {}
    for hit in results:
        kind, ident = registry.split_key(hit["key"])
        spec = registry.get(kind)
        if spec is None:
            continue
        title = hit.get("title", "")
        if kind == "answer" or (kind == "comment"):
            continue  # their titles repeat the question's or target's
        out.append({"kind": kind, "id": ident, "label": title, "url": spec.url(ident, None)})
        for tag in (hit.get("tags") or "").split(","):
            if tag and tag not in tags and any(k.startswith(key) for k in keys_for([tag])):
                tags[tag] = {
                    "kind": "tag",
                    "id": None,
                    "label": tag,
                    "url": url_for("search.index", q=f'tag:"{tag}"' if " " in tag else f"tag:{tag}"),
                }
    return out, tags


def _dedupe(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for item in items:
        marker = (item["kind"], item["label"])
        if marker not in seen:
            seen.add(marker)
            out.append(item)
    return out
