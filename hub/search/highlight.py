"""Snippets with the query terms marked, cut from the database text (the index stores no bodies).

Matching runs on folded text (so a traditional query marks simplified text and the reverse) and
maps back to the original characters; English words match by stem (pricing ~ price).
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
from collections import OrderedDict
from html import escape

from markupsafe import Markup

from .analysis import _stem as stem
from .analysis import fold, fold_char

WINDOW = 160
ASCII_WORD = re.compile(r"[a-z0-9][a-z0-9.]*[a-z0-9]|[a-z0-9]")


class _FoldMemo:
    """fold() of passage texts, which recur (a page of hits shows the same documents again): least
    recently used first out, within a budget of characters. NFKC over a page of text costs far more
    than hashing it."""

    def __init__(self, budget: int = 2_000_000):
        self.budget, self.used = budget, 0
        self.items: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()

    def __call__(self, text: str) -> str:
        with self.lock:
            found = self.items.get(text)
            if found is not None:
                self.items.move_to_end(text)
                return found
        folded = fold(text)
        if folded == text:
            folded = text  # one string kept, not two
        size = len(text) + (0 if folded is text else len(folded))
        if size <= self.budget // 32:
            with self.lock:
                if text not in self.items:
                    self.items[text] = folded
                    self.used += size
                    while self.used > self.budget:
                        old, old_folded = self.items.popitem(last=False)
                        self.used -= len(old) + (0 if old_folded is old else len(old_folded))
        return folded


_folded = _FoldMemo()


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """Fold text keeping, for each folded character, the index of the original character."""
    out, where = [], []
    for i, ch in enumerate(text):
        folded = fold_char(ch)
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


@functools.lru_cache(maxsize=20000)
def _ascii_matches(word: str, terms: frozenset, prefixes: tuple) -> bool:
    return word in terms or stem(word) in terms or any(word.startswith(p) for p in prefixes)


def find_spans(folded: str, terms: frozenset, prefixes: tuple = ()) -> list[tuple[int, int]]:
    """Return sorted, non-overlapping (start, end) spans of folded text that match the terms."""
    spans = []
    for term in terms:
        if term.isascii():
            continue
        start = folded.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + len(term))
    for prefix in prefixes:
        if not prefix.isascii():
            start = folded.find(prefix)
            while start != -1:
                spans.append((start, start + len(prefix)))
                start = folded.find(prefix, start + len(prefix))
    if any(t.isascii() for t in terms) or any(p.isascii() for p in prefixes):
        ascii_prefixes = tuple(p for p in prefixes if p.isascii())
        for m in ASCII_WORD.finditer(folded):
            if _ascii_matches(m.group(), terms, ascii_prefixes):
                spans.append(m.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _best_window(folded: str, spans: list[tuple[int, int]]) -> tuple[int, int, int]:
    """Pick the window holding the most distinct matched words; return (start, end, distinct)."""
    if not spans:
        return 0, min(len(folded), WINDOW), 0
    starts = [s for s, _ in spans]
    best = (0, -1)
    for i, (s, _e) in enumerate(spans):
        j = bisect.bisect_left(starts, s + WINDOW - 20)
        distinct = len({folded[a:b] for a, b in spans[i:j]})
        if distinct > best[1]:
            best = (i, distinct)
    first = spans[best[0]][0]
    start = max(0, first - 30)
    return start, min(len(folded), start + WINDOW), best[1]


class _SnippetMemo:
    """snippet() answers for the passages of recent hits: the same page of hits comes back with the
    same texts (read again from the database, so compared by value). Least recently used first
    out, within a budget of passage characters."""

    def __init__(self, budget: int = 2_000_000):
        self.budget, self.used = budget, 0
        self.items: OrderedDict[tuple, tuple[int, tuple[Markup, int | None]]] = OrderedDict()
        self.lock = threading.Lock()

    def __call__(self, passages, terms: frozenset, prefixes: tuple) -> tuple[Markup, int | None]:
        key = (tuple(passages), terms, prefixes)
        try:
            hash(key)
        except TypeError:  # passages that are not (page, text) tuples: answer without remembering
            return _snippet(passages, terms, prefixes)
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
                return found[1]
        answer = _snippet(passages, terms, prefixes)
        size = sum(len(text) for _page, text in passages if text) + 64
        if size <= self.budget // 32:
            with self.lock:
                if key not in self.items:
                    self.items[key] = (size, answer)
                    self.used += size
                    while self.used > self.budget:
                        _old, (dropped, _answer) = self.items.popitem(last=False)
                        self.used -= dropped
        return answer


_snippets = _SnippetMemo()


def snippet(passages: list[tuple[int | None, str]], terms, prefixes=()) -> tuple[Markup, int | None]:
    """Return the best passage's snippet as safe HTML (matches in <mark>) and its page number."""
    return _snippets(passages, frozenset(t for t in terms if t), tuple(prefixes))


def _snippet(passages, terms: frozenset, prefixes: tuple) -> tuple[Markup, int | None]:
    best = None
    for page, text in passages:
        if not text:
            continue
        folded = _folded(text)
        spans = find_spans(folded, terms, prefixes)
        start, end, distinct = _best_window(folded, spans)
        score = (distinct, len(spans))
        if best is None or score > best[0]:
            best = (score, page, text, folded, spans, start, end)
    if best is None:
        return Markup(""), None
    (distinct, _count), page, text, folded, spans, start, end = best
    where = None
    if len(folded) != len(text):  # folding changed lengths (rare: NFKC ligatures): map per character
        folded, where = _folded_with_map(text)
        spans = find_spans(folded, terms, prefixes)
        start, end, _distinct = _best_window(folded, spans)
    return Markup(_render(text, where, spans, start, end)), (page if distinct else None)


def _render(text: str, where: list[int] | None, spans, start: int, end: int) -> str:
    def orig(i: int) -> int:
        return where[i] if where is not None else i

    o_start = orig(start) if start < len(text if where is None else where) else len(text)
    o_end = orig(end - 1) + 1 if end > start else o_start
    parts = ["…" if o_start > 0 else ""]
    cursor = o_start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        os_, oe = orig(max(s, start)), orig(min(e, end) - 1) + 1
        parts.append(escape(text[cursor:os_]))
        parts.append(f"<mark>{escape(text[os_:oe])}</mark>")
        cursor = oe
    parts.append(escape(text[cursor:o_end]))
    if o_end < len(text):
        parts.append("…")
    return " ".join("".join(parts).split())  # collapse line breaks and runs of spaces
