"""The block-at-a-time matcher answers exactly what Whoosh's own docs_for_query does."""

from __future__ import annotations

import random

from whoosh.query import And, Every, Not, Or, Phrase, Prefix, Term

from hub.search.docsets import matching_docs
from hub.search.index import create_index
from hub.search.postings import read_term

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


def kept_postings(searcher):
    """What readers.View.postings gives: each term read once (postings.read_term), then kept."""
    kept: dict = {}

    def postings(fieldname, text):
        if (fieldname, text) not in kept:
            kept[fieldname, text] = read_term(searcher, fieldname, text)
        return kept[fieldname, text]

    return postings


def test_same_documents_as_whoosh(tmp_path):
    ix = _build(tmp_path / "ix")
    with ix.searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 1 and searcher.reader().has_deletions()
        postings = kept_postings(searcher)
        for query in QUERIES:
            expected = set(searcher.docs_for_query(query))
            assert matching_docs(searcher, query) == expected, query
            assert matching_docs(searcher, query, postings) == expected, query
            assert matching_docs(searcher, query, postings) == expected, query  # kept sets unchanged by use


def test_single_segment(tmp_path):
    ix = _build(tmp_path / "one", segments=1, per_segment=3000)  # many postings blocks per term
    with ix.searcher() as searcher:
        postings = kept_postings(searcher)
        for query in QUERIES:
            expected = set(searcher.docs_for_query(query))
            assert matching_docs(searcher, query) == expected, query
            assert matching_docs(searcher, query, postings) == expected, query


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
            for postings in (None, kept_postings(searcher)):
                got = direct_scores(searcher, parsed.all_query, docs, postings)
                assert got is not None, text
                for d in docs:
                    got.setdefault(d, 0.0)
                assert got.keys() == expected.keys(), text
                assert all(abs(got[d] - expected[d]) < 1e-9 for d in docs), text
        assert direct_scores(searcher, parse('"price deploy"').all_query, docs) is None  # phrases: matchers


def test_a_generation_reads_a_term_once_and_keeps_its_postings_within_the_bound(tmp_path, monkeypatch):
    from hub.search import readers

    ix = _build(tmp_path / "kept")
    with ix.searcher() as searcher:
        view = readers.View(searcher, readers.Generation())
        first = view.postings("body", "w1")
        assert view.postings("body", "w1") is first  # kept, not read again
        assert first.docs == set(searcher.docs_for_query(Term("body", "w1")))
        assert view.postings("body", "missing").docs == frozenset()
        biggest = max(len(set(searcher.docs_for_query(Term("body", word)))) for word in WORDS)
        monkeypatch.setattr(readers, "MAX_POSTINGS", 4 * biggest)  # room for four or five of the twelve
        for word in WORDS[1:]:
            view.postings("body", word)
        gen = view.generation
        assert gen.postings_size == sum(len(p.docs) for p in gen.postings.values()) <= readers.MAX_POSTINGS
        assert ("body", "w1") not in gen.postings and len(gen.postings) < len(WORDS)  # oldest out first
        assert ("body", WORDS[-1]) in gen.postings
