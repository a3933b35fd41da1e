"""The block-at-a-time matcher answers exactly what Whoosh's own docs_for_query does."""

from __future__ import annotations

import random

from whoosh.query import And, Every, Not, Or, Phrase, Prefix, Term

from hub.search.docsets import matching_docs
from hub.search.index import create_index

WORDS = [f"w{i}" for i in range(12)]


def _build(path, segments: int = 3, per_segment: int = 400):
    """A real index of several segments (no merging), with some deletions in the middle ones."""
    ix = create_index(str(path))
    rng = random.Random(3)
    n = 0
    for seg in range(segments):
        writer = ix.writer()
        for _ in range(per_segment):
            words = rng.sample(WORDS, rng.randint(1, 5))
            writer.add_document(key=f"document:{n}", kind="document", body=" ".join(words), scope="staff")
            n += 1
        if seg:
            for k in rng.sample(range(n), 60):
                writer.delete_by_term("key", f"document:{k}")
        writer.commit(merge=False)
    return ix


QUERIES = [
    Term("body", "w1"),
    Term("body", "missing"),
    Term("nofield", "w1"),
    And([Term("body", "w1"), Term("body", "w2")]),
    And([Term("body", "w1"), Term("body", "w2"), Term("body", "w3")]),
    Or([Term("body", "w4"), Term("body", "w5")]),
    And([Or([Term("body", "w1"), Term("body", "w6")]), Not(Term("body", "w2"))]),
    And([Every(), Not(Term("body", "w7"))]),
    And([Term("body", "w8"), Prefix("body", "w1")]),
    Or([Phrase("body", ["w1", "w2"]), Term("body", "w9")]),
    Or([Term("body", "w1"), Term("body", "w2"), Term("body", "w3")], minmatch=2),
]


def test_same_documents_as_whoosh(tmp_path):
    ix = _build(tmp_path / "ix")
    with ix.searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 1 and searcher.reader().has_deletions()
        for query in QUERIES:
            assert matching_docs(searcher, query) == set(searcher.docs_for_query(query)), query


def test_single_segment(tmp_path):
    ix = _build(tmp_path / "one", segments=1, per_segment=3000)  # many postings blocks per term
    with ix.searcher() as searcher:
        for query in QUERIES:
            assert matching_docs(searcher, query) == set(searcher.docs_for_query(query)), query


def test_direct_scores_equal_the_matchers(tmp_path):
    from hub.search.kinds import Entry, to_fields
    from hub.search.query import parse
    from hub.search.ranking import direct_scores
    from hub.search.service import _score_only

    ix = create_index(str(tmp_path / "rank"))
    rng = random.Random(5)
    words = ["price", "deploy", "cluster", "销售", "客户", "方案", "部署", "gateway", "latency", "renewal"]
    for seg in range(2):
        with ix.writer() as writer:
            for i in range(300):
                n = seg * 300 + i
                title = " ".join(rng.sample(words, 2))
                body = " ".join(rng.choices(words, k=rng.randint(3, 30)))
                entry = Entry(
                    title=title,
                    body=body,
                    tags=rng.sample(["price", "部署"], rng.randint(0, 1)),
                    scope=["staff"],
                )
                writer.add_document(**to_fields("document", n, entry))
        if seg:
            with ix.writer() as writer:
                writer.delete_by_term("key", "document:7")
    with ix.searcher() as searcher:
        for text in [
            "price",
            "销售 客户",
            "deploy -cluster",
            "price OR latency gateway",
            "部署 方案 renewal",
        ]:
            parsed = parse(text)
            docs = set(searcher.docs_for_query(parsed.match_all))
            assert docs, text
            expected = _score_only(searcher, parsed.all_query, docs)
            got = direct_scores(searcher, parsed.all_query, docs)
            assert got is not None, text
            for d in docs:
                got.setdefault(d, 0.0)
            assert got.keys() == expected.keys(), text
            assert all(abs(got[d] - expected[d]) < 1e-9 for d in docs), text
        assert direct_scores(searcher, parse('"price deploy"').all_query, docs) is None  # phrases: matchers
