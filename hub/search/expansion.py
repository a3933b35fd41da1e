"""Prefix searches with a bounded cost: `a*` over 50,000 entries names hundreds of terms.

Whoosh answers a Prefix by OR-ing every term it expands to, walking each one's postings with a
few Python calls per posting, so a query of several short prefixes took seconds. Before searching,
each Prefix of the parsed queries is replaced by the terms it expands to in the index being read,
the ones found in the most entries first: at most MAX_EXPANSION terms, and no more once their
postings reach MAX_POSTINGS (the cost of a search is the postings it reads). Plain Terms are then
matched a postings block at a time (docsets) and scored like any word. A prefix that had more
terms is reported, so the page can say that only its commonest words were searched.
"""

from __future__ import annotations

import heapq

from whoosh.query import NullQuery, Or, Prefix, Query, Term

MAX_EXPANSION = 64
MAX_POSTINGS = 20_000  # per prefix and field; the first (commonest) term is always kept


def expand(reader, fieldname: str, prefix: str) -> tuple[tuple[str, ...], bool]:
    """The commonest terms of fieldname starting with prefix (within the limits), and if there were more."""
    if fieldname not in reader.schema:
        return (), False
    counted, seen = [], 0
    for btext, info in reader.iter_prefix(fieldname, prefix):
        seen += 1
        counted.append((info.doc_frequency(), btext))
    kept, postings = [], 0
    for count, btext in heapq.nlargest(MAX_EXPANSION, counted):
        if kept and postings + count > MAX_POSTINGS:
            break
        kept.append(btext)
        postings += count
    field = reader.schema[fieldname]
    return tuple(sorted(field.from_bytes(b) for b in kept)), seen > len(kept)


def bound(query: Query | None, expansion, capped: set[str]) -> Query | None:
    """query with each Prefix replaced by its expansion; `expansion(field, prefix)` is `expand` (cached).

    The words whose expansion was cut are added to capped.
    """
    if query is None:
        return None

    def replace(node: Query) -> Query:
        if not isinstance(node, Prefix) or not node.text:
            return node
        words, cut = expansion(node.fieldname, node.text)
        if cut:
            capped.add(node.text)
        if not words:
            return NullQuery
        terms = [Term(node.fieldname, w, boost=node.boost) for w in words]
        return terms[0] if len(terms) == 1 else Or(terms)

    return query.accept(replace)
