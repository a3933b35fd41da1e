"""Relevance scores of a known set of entries, without walking the query's matcher tree.

Skipping a query's matcher tree to each entry (And over Or over two fields per word) costs a few
Python calls per posting per level. For the trees `query.parse` builds from words (And, Or, Not and
Term), each term's postings are read only in the blocks that may hold an asked entry (the others
are skipped by their headers), and the same Whoosh scorer is applied to those entries. A match of
an And scores the sum of its parts (and 1.0 per Not), of an Or the sum of the parts that match, as
Whoosh's matchers add them. Prefixes arrive expanded into terms (expansion.py); other queries
(phrases) return None: the matchers score them.
"""

from __future__ import annotations

from bisect import bisect_left

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, Not, NullQuery, Or, Term
from whoosh.reading import TermNotFound
from whoosh.scoring import WeightLengthScorer

from .docsets import matching_docs


class _Unsupported(Exception):
    pass


def direct_scores(searcher, query, docs: set[int], postings=None) -> dict[int, float] | None:
    """{docnum: score} for the entries of docs the query matches; None when the query is not a word tree.

    postings: readers.View.postings (a term's postings kept for the generation), or None: each
    term's postings are then read here, only in the blocks that may hold an asked entry.
    """
    try:
        return _scores(searcher, query, docs, postings)
    except _Unsupported:
        return None


def _scores(searcher, query, docs: set[int], postings) -> dict[int, float]:
    if getattr(query, "boost", 1.0) != 1.0:
        raise _Unsupported
    if type(query) is Term:
        if postings is not None:
            return _kept_term_scores(searcher, query, docs, postings(query.fieldname, query.text))
        return _term_scores(searcher, query, docs)
    if query is NullQuery:  # a prefix that begins no word (expansion.bound)
        return {}
    if type(query) is And:
        parts = [q for q in query.subqueries if not isinstance(q, Not)]
        if not parts:
            raise _Unsupported
        scored = [_scores(searcher, q, docs, postings) for q in parts]
        common = set(scored[0]).intersection(*scored[1:])
        negatives = [q for q in query.subqueries if isinstance(q, Not)]
        for q in negatives:
            if common:
                common -= matching_docs(searcher, q.query, postings)
        # Whoosh matches a Not with an inverse matcher that scores 1.0 for every entry it lets through
        return {d: sum(s[d] for s in scored) + len(negatives) for d in common}
    if type(query) is Or and not query.minmatch and not query.scale:
        out: dict[int, float] = {}
        for q in query.subqueries:
            if isinstance(q, Not):
                raise _Unsupported
            for d, s in _scores(searcher, q, docs, postings).items():
                out[d] = out.get(d, 0.0) + s
        return out
    raise _Unsupported


def _kept_term_scores(searcher, term: Term, docs: set[int], kept) -> dict[int, float]:
    """As _term_scores, from the term's postings already read (postings.TermPostings): a lookup per
    asked entry that holds the term, scored by the segment's own scorer."""
    out: dict[int, float] = {}
    if term.fieldname not in searcher.schema:
        return out
    wanted = kept.docs.intersection(docs)
    if not wanted:
        return out
    weighting = searcher.weighting
    subs = dict((offset, sub) for sub, offset in searcher.leaf_searchers())
    for offset, ids, weights in kept.segments:
        local = sorted(d - offset for d in wanted if offset <= d < offset + subs[offset].doc_count_all())
        if not local:
            continue
        scorer = weighting.scorer(subs[offset], term.fieldname, term.text)  # as Searcher.postings makes it
        if not isinstance(scorer, WeightLengthScorer):
            raise _Unsupported
        score, length = scorer._score, scorer.dfl
        i = 0
        for d in local:  # ascending, as ids: each lookup starts where the last one ended
            i = bisect_left(ids, d, i)
            out[d + offset] = score(weights[i], length(d))
    return out


def _term_scores(searcher, term: Term, docs: set[int]) -> dict[int, float]:
    out: dict[int, float] = {}
    if term.fieldname not in searcher.schema:
        return out
    weighting = searcher.weighting
    for sub, offset in searcher.leaf_searchers():
        try:
            matcher = sub.postings(term.fieldname, term.text, weighting=weighting)
        except (TermNotFound, ValueError):
            continue
        while isinstance(matcher, FilterMatcher):  # deleted entries: never in docs, which are all live
            matcher = matcher.child
        scorer = matcher.scorer if isinstance(matcher, W3LeafMatcher) else None
        if not isinstance(scorer, WeightLengthScorer):
            raise _Unsupported
        score, length = scorer._score, scorer.dfl
        end = offset + sub.doc_count_all()
        for d in sorted(x - offset for x in docs if offset <= x < end):
            # skip whole blocks by their headers; read ids and weights only where an asked entry may be
            while matcher.is_active() and matcher._maxid < d:
                matcher._next_block()
            if not matcher.is_active():
                break
            if matcher._ids is None:
                matcher._read_ids()
            ids = matcher._ids
            i = bisect_left(ids, d, matcher._i)
            if i < matcher._blocklength and ids[i] == d:
                if matcher._weights is None:
                    matcher._read_weights()
                out[d + offset] = score(matcher._weights[i], length(d))
    return out
