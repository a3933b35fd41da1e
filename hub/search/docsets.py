"""The set of entries a matching query selects, read a postings block at a time.

Whoosh's `docs_for_query` steps through every posting with a few Python calls each (id, next,
is_active, through every And/Or matcher), which is most of a search's time over tens of thousands
of entries. The matching queries `query.parse` builds are mostly trees of And, Or, Not and Term:
for those, each term's postings are read a whole block at a time and combined as Python sets.
Prefixes arrive expanded into terms (expansion.py). Anything else (phrases, Every) is left to
Whoosh, so the answer is always the same.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.query import And, Not, Or, Term
from whoosh.reading import TermNotFound

from .postings import unwrap_filters


def matching_docs(searcher, query, postings=None) -> set[int] | frozenset[int]:
    """Return the (global) document numbers of the live entries that query matches.

    postings: readers.View.postings, a term's postings kept for the generation (None: read here).
    The answer may be shared: change it only with operators that make a new set (`docs &= x`).
    """
    if isinstance(query, Term) and type(query) is Term:
        if postings is not None:
            return postings(query.fieldname, query.text).docs
        return _term_docs(searcher, query.fieldname, query.text)
    if type(query) is And:
        wanted = [q for q in query.subqueries if not isinstance(q, Not)]
        unwanted = [q.query for q in query.subqueries if isinstance(q, Not)]
        if wanted:
            sets = sorted((matching_docs(searcher, q, postings) for q in wanted), key=len)
            docs = sets[0].intersection(*sets[1:])
            for q in unwanted:
                if not docs:
                    break
                docs -= matching_docs(searcher, q, postings)
            return docs
    elif type(query) is Or and not getattr(query, "minmatch", 0):
        if not any(isinstance(q, Not) for q in query.subqueries):
            docs: set[int] = set()
            for q in query.subqueries:
                docs |= matching_docs(searcher, q, postings)
            return docs
    return set(searcher.docs_for_query(query))


def _term_docs(searcher, fieldname: str, text) -> set[int]:
    docs: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        try:
            matcher = sub.reader().postings(fieldname, text)
        except (TermNotFound, ValueError):  # no such term, or text the field cannot hold
            continue
        ids = _matcher_ids(matcher)
        docs.update(ids if not offset else [d + offset for d in ids])
    return docs


def _matcher_ids(matcher) -> list[int] | set[int]:
    """All ids of a term's postings; deleted entries (a FilterMatcher around the postings) left out."""
    matcher, keep, drop = unwrap_filters(matcher)
    if isinstance(matcher, W3LeafMatcher):
        ids: list[int] = []
        while matcher.is_active():  # a block at a time, from where the matcher stands
            if matcher._ids is None:
                matcher._read_ids()
            ids.extend(matcher._ids[matcher._i :])
            matcher._next_block()
    else:
        ids = list(matcher.all_ids())
    if keep is None and drop is None:
        return ids
    out = set(ids)
    if keep is not None:
        out &= keep
    if drop:
        out -= drop
    return out
