"""A prefix that begins many words searches its commonest ones and says so (Whoosh), and a clause
said twice is searched once: a query of short prefixes over a large index must not take seconds."""

import pytest

from hub.search import expansion
from hub.search.query import parse
from tests.search_helpers import hits, index_now, keys, make_document


@pytest.fixture
def spread(app, people):
    """zqcommon in four documents, zqmid in two, zqrare in one: three words beginning with zq."""
    ids = {}
    for i in range(4):
        ids[f"common{i}"] = make_document(people, f"方案{i}", pages=[f"zqcommon 客户 {i}"])
    for i in range(2):
        ids[f"mid{i}"] = make_document(people, f"手册{i}", pages=[f"zqmid 培训 {i}"])
    ids["rare"] = make_document(people, "说明", pages=["zqrare 服务"])
    index_now(app)
    return ids


def found(app, people, q):
    body = hits(app.test_client(), q, headers=people.auth("staff"), per_page=50)
    return {i for kind, i in keys(body) if kind == "document"}, body["notices"]


def test_a_prefix_within_the_limits_finds_every_word_it_begins(app, people, spread):
    ids, notices = found(app, people, "zq*")
    assert ids == set(spread.values())
    assert notices == []


def test_a_prefix_beginning_too_many_words_keeps_the_commonest(app, people, spread, monkeypatch):
    monkeypatch.setattr(expansion, "MAX_EXPANSION", 2)
    ids, notices = found(app, people, "zq*")
    assert ids == {v for k, v in spread.items() if k != "rare"}
    assert [n["code"] for n in notices] == ["prefix_capped"]
    assert "zq*" in notices[0]["message"]


def test_a_prefix_stops_adding_words_at_the_postings_budget(app, people, spread, monkeypatch):
    monkeypatch.setattr(expansion, "MAX_POSTINGS", 5)  # zqcommon (4) fits, zqmid (2) would pass it
    ids, notices = found(app, people, "zq*")
    assert ids == {v for k, v in spread.items() if k.startswith("common")}
    assert [n["code"] for n in notices] == ["prefix_capped"]
    ids, notices = found(app, people, "zqm*")  # one word: always searched, whatever its postings
    assert ids == {spread["mid0"], spread["mid1"]} and notices == []


def test_a_prefix_beginning_no_word_matches_nothing(app, people, spread):
    assert found(app, people, "zqnothing*")[0] == set()
    ids, notices = found(app, people, "客户 zqnothing*")  # not all words match: any of them, said so
    assert ids == {v for k, v in spread.items() if k.startswith("common")}
    assert [n["code"] for n in notices] == ["any_match"]


def test_a_clause_said_twice_is_searched_once():
    once, many = parse("客户 zq*"), parse("客户 zq* 客户 zq* zq*")
    assert repr(many.all_query) == repr(once.all_query)
    assert repr(many.match_all) == repr(once.match_all)
    alternatives = parse("客户 OR 客户 OR 培训")
    assert repr(alternatives.match_all) == repr(parse("客户 OR 培训").match_all)
