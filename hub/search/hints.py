"""Which of a hit's tags the query asked for, so the page can say a result matched on a tag."""

from __future__ import annotations

import functools

from .analysis import analyze, custom_words, fold
from .query import Parsed


def matched_tags(tags_csv: str, parsed: Parsed) -> list[str]:
    """The tags of a hit that the query asked for (by tag: or by its words)."""
    return list(_matched(tags_csv or "", *asked(parsed)))


def asked(parsed: Parsed) -> tuple:
    """What of the query decides matched tags, hashable (with the dictionary the tags are cut by)."""
    return frozenset(parsed.terms), tuple(sorted(parsed.prefixes)), frozenset(parsed.tags), custom_words()


def matched_tags_for(tags_csv: str, asked_key: tuple) -> list[str]:
    """matched_tags with asked(parsed) computed once for a page of hits."""
    return list(_matched(tags_csv or "", *asked_key))


@functools.lru_cache(maxsize=4096)  # a page of hits shows the same tags for the same query again
def _matched(tags_csv: str, terms: frozenset, prefixes: tuple, tags: frozenset, _words: frozenset) -> tuple:
    out = []
    for tag in tags_csv.split(","):
        if not tag:
            continue
        tokens = analyze(tag)
        by_words = bool(tokens) and all(t in terms or any(t.startswith(p) for p in prefixes) for t in tokens)
        if fold(tag) in tags or by_words:
            out.append(tag)
    return tuple(out)
