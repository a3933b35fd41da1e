"""A term's postings, read once per index generation and shared by matching and ranking.

A search read each of its terms' postings twice: all ids to find the matched set (docsets.py), then
ids and weights again to score the entries kept (ranking.py). Decoding postings blocks in Python was
most of a query's time at 50,000 entries, and words recur from one query to the next (a Zipf-like
vocabulary: the common words are the expensive ones). A generation's postings cannot change, so
readers.View keeps the terms read, least recently used out first, within MAX_POSTINGS.
"""

from __future__ import annotations

from array import array
from typing import NamedTuple

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound


class TermPostings(NamedTuple):
    """The live entries holding one term: as a set of global numbers, and per segment as ascending
    local numbers with the term's weight in each (what the segment's scorer reads)."""

    docs: frozenset[int]
    segments: tuple[tuple[int, array, array], ...]  # (offset, ids, weights)


EMPTY = TermPostings(frozenset(), ())


def read_term(searcher, fieldname: str, text) -> TermPostings:
    """Every live posting of the term in the searcher's segments."""
    docs: set[int] = set()
    segments = []
    for sub, offset in searcher.leaf_searchers():
        try:
            matcher = sub.reader().postings(fieldname, text)
        except (TermNotFound, ValueError):  # no such term, or text the field cannot hold
            continue
        ids, weights = _live_postings(matcher)
        if ids:
            segments.append((offset, ids, weights))
            docs.update(ids if not offset else [d + offset for d in ids])
    return TermPostings(frozenset(docs), tuple(segments)) if segments else EMPTY


def unwrap_filters(matcher):
    """(the postings matcher inside, the ids it must keep or None, the ids it must drop or None):
    Whoosh wraps a segment's postings in FilterMatchers for its deleted documents (or a kept set)."""
    keep, drop = None, None
    while isinstance(matcher, FilterMatcher):
        if matcher._exclude:
            drop = matcher._ids if drop is None else drop | matcher._ids
        else:
            keep = matcher._ids if keep is None else keep & matcher._ids
        matcher = matcher.child
    return matcher, keep, drop


def _live_postings(matcher) -> tuple[array, array]:
    """Ids and weights of a term's postings; deleted entries (FilterMatchers around them) left out."""
    matcher, keep, drop = unwrap_filters(matcher)
    ids, weights = array("i"), array("d")
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():  # a block at a time, from where the matcher stands
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            _extend(ids, matcher._ids[matcher._i :])
            _extend(weights, matcher._weights[matcher._i :])
            matcher._next_block()
    else:  # postings stored inline with the term: a few, read one by one
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    if keep is None and drop is None:
        return ids, weights
    kept = [(d, w) for d, w in zip(ids, weights, strict=True)
            if (keep is None or d in keep) and not (drop and d in drop)]
    return array("i", (d for d, _w in kept)), array("d", (w for _d, w in kept))


def _extend(into: array, block) -> None:
    """Append a block's values (an array of whatever width the codec chose, or a list)."""
    if isinstance(block, array) and block.typecode != into.typecode:
        block = block.tolist()
    into.extend(block)


def size(postings: TermPostings) -> int:
    """What a kept term counts against MAX_POSTINGS: its postings."""
    return len(postings.docs)
