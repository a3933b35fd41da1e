"""What an empty results page offers: respellings and titles (also by pinyin) that find something.

Everything offered is checked against the reader's own search: a spelling correction is shown only
when it finds something they may see, and pinyin suggestions come from the scoped suggest().
"""

from __future__ import annotations

import re

from flask import current_app

from . import backends
from .analysis import _stem as stem
from .analysis import fold
from .highlight import ASCII_WORD
from .index import IndexOutdated
from .readers import reading
from .service import search
from .suggest import suggest

MAX_CORRECTED_WORDS = 3
MAX_SUGGESTIONS = 5
ASCII_QUERY_WORD = re.compile(r"(?<![\w:*-])[A-Za-z]{4,}(?![\w:*])")


def corrections(user, q: str, path: str | None = None) -> list[dict]:
    """Respellings of the query's unknown English words that find results for this reader."""
    words = list(dict.fromkeys(m.group() for m in ASCII_QUERY_WORD.finditer(q)))[:MAX_CORRECTED_WORDS]
    if not words:
        return []
    if backends.postgres():
        from .pg_rescue import respellings

        replaced = respellings(words)
    else:
        replaced = _whoosh_respellings(words, path)
    if not replaced:
        return []
    stemmed = _replace(q, replaced)
    outcome = search(user, stemmed, per_page=1, path=path)
    if not outcome.total or not outcome.hits:
        return []
    # Show the words as the found entry spells them ("pricing"), not as index stems ("price").
    hit = outcome.hits[0]
    text = fold(f"{hit.title} {re.sub(r'<[^>]+>', ' ', hit.snippet_html)}")
    spelled = {word: _surface(text, term) or term for word, term in replaced.items()}
    return [{"q": _replace(q, spelled), "total": outcome.total}]


def _whoosh_respellings(words: list[str], path: str | None) -> dict[str, str]:
    replaced: dict[str, str] = {}
    try:
        with reading(path or current_app.config["INDEX_DIR"]) as v:
            for word in words:
                term = stem(word.lower())
                if v.searcher.doc_frequency("body", term):
                    continue  # a known word: its absence is about the other words or the filters
                found = v.searcher.suggest("body", term, limit=1, maxdist=2)
                if found and found[0] != term:
                    replaced[word] = found[0]
    except IndexOutdated:
        return {}
    return replaced


def _replace(q: str, words: dict[str, str]) -> str:
    return ASCII_QUERY_WORD.sub(lambda m: words.get(m.group(), m.group()), q)


def _surface(folded: str, term: str) -> str | None:
    for match in ASCII_WORD.finditer(folded):
        if stem(match.group()) == term:
            return match.group()
    return None


def pinyin_suggestions(user, q: str) -> list[dict]:
    """Titles, tags and accounts whose text, pinyin or initials start like the query (or one of its words)."""
    found = suggest(user, q, limit=MAX_SUGGESTIONS)
    if not found:
        for word in q.split()[:3]:
            found += suggest(user, word, limit=MAX_SUGGESTIONS)
    seen, out = set(), []
    for item in found:
        marker = (item["kind"], item["label"])
        if marker not in seen:
            seen.add(marker)
            out.append(item)
    return out[:MAX_SUGGESTIONS]
