"""Which of a hit's tags the query asked for, so the page can say a result matched on a tag."""

from __future__ import annotations

from .analysis import analyze, fold
from .query import Parsed


def matched_tags(tags_csv: str, parsed: Parsed) -> list[str]:
    """The tags of a hit that the query asked for (by tag: or by its words)."""
    out = []
    for tag in (tags_csv or "").split(","):
        if not tag:
            continue
        tokens = analyze(tag)
        by_words = bool(tokens) and all(
            t in parsed.terms or any(t.startswith(p) for p in parsed.prefixes) for t in tokens
        )
        if fold(tag) in parsed.tags or by_words:
            out.append(tag)
    return out
