"""The query language, facets, sorting, paging, and bad input that must never be a 500 or a hang."""

from datetime import timedelta

import pytest

from hub.extensions import db
from hub.models import Document, Rating, utcnow
from tests import search_backends
from tests.search_helpers import hits, index_now, keys, make_document

app = search_backends.app  # the fixture: every test here runs on both backends (Whoosh, PostgreSQL)


@pytest.fixture
def corpus(app, people):
    ids = {
        "crm": make_document(
            people,
            "销售易CRM实施方案",
            pages=["CRM 实施 方案 与 客户 培训"],
            tags="CRM,实施",
            category="case_study",
        ),
        "price": make_document(
            people,
            "竞品价格对比",
            dept="B",
            pages=["竞品 价格 对比 分析"],
            tags="竞品",
            category="competitor",
            file_type="xlsx",
        ),
        "train": make_document(people, "客户培训手册", pages=["客户 培训 日程 安排"], category="product"),
        "phrase": make_document(people, "服务说明", pages=["我们提供客户成功服务，也提供培训。"]),
    }
    db.session.get(Document, ids["phrase"]).updated_at = utcnow() + timedelta(minutes=5)  # the newest
    db.session.add(Rating(user_id=people.ids["expert"], document_id=ids["train"], stars=5))
    db.session.add(Rating(user_id=people.ids["expert"], document_id=ids["crm"], stars=2))
    db.session.commit()
    index_now(app)
    return ids


def doc_ids(body):
    return {i for k, i in keys(body) if k == "document"}


def test_all_words_must_match_then_any_word_ranks(app, people, corpus):
    """Plain words must all match; when nothing has them all, any-match results come with a notice."""
    client = app.test_client()
    auth = people.auth("staff")
    assert doc_ids(hits(client, "客户 培训", headers=auth)) == {
        corpus["crm"],
        corpus["train"],
        corpus["phrase"],
    }
    body = hits(client, "竞品 培训", headers=auth)
    assert doc_ids(body) == {corpus["price"], corpus["crm"], corpus["train"], corpus["phrase"]}
    assert any(n["code"] == "any_match" for n in body["notices"])


def test_phrase_or_exclusion_prefix_and_fields(app, people, corpus):
    """ "phrases", OR, -exclusion, prefix*, title:, tag: and dept: each narrow or widen as documented."""
    client = app.test_client()
    auth = people.auth("staff")
    assert doc_ids(hits(client, '"客户 培训"', headers=auth)) == {corpus["crm"], corpus["train"]}
    assert doc_ids(hits(client, "竞品 OR 日程", headers=auth)) == {corpus["price"], corpus["train"]}
    assert doc_ids(hits(client, "培训 -CRM", headers=auth)) == {corpus["train"], corpus["phrase"]}
    assert corpus["crm"] in doc_ids(hits(client, "实施*", headers=auth))
    assert doc_ids(hits(client, "title:培训", headers=auth)) == {corpus["train"]}
    assert doc_ids(hits(client, "tag:crm", headers=auth)) == {corpus["crm"]}
    dept_b = people.departments["B"]
    assert doc_ids(hits(client, f"dept:{dept_b} 价格", headers=auth)) == {corpus["price"]}
    assert doc_ids(hits(client, "dept:智能客服 价格", headers=auth)) == {corpus["price"]}


def test_filters_facets_and_sorting(app, people, corpus):
    """Filters narrow with counts per value; rating and newest sorts order by those fields."""
    client = app.test_client()
    auth = people.auth("staff")
    body = hits(client, "客户", headers=auth)
    categories = {f["value"]: f["count"] for f in body["facets"]["category"]}
    assert categories["case_study"] == 1 and categories["product"] == 2
    assert doc_ids(hits(client, "客户", headers=auth, category="product")) == {
        corpus["train"],
        corpus["phrase"],
    }
    assert doc_ids(hits(client, "价格", headers=auth, file_type="xlsx")) == {corpus["price"]}
    assert doc_ids(hits(client, "价格", headers=auth, department_id=people.departments["A"])) == set()
    assert doc_ids(hits(client, "客户", headers=auth, min_rating=4)) == {corpus["train"]}
    rated = hits(client, "客户 培训", headers=auth, sort="rating")["results"]
    assert [r["id"] for r in rated][:2] == [corpus["train"], corpus["crm"]]
    newest = hits(client, "客户 培训", headers=auth, sort="newest")["results"]
    assert newest[0]["id"] == corpus["phrase"]


def test_paging(app, people):
    """Pages hold per_page results, in a stable order, and together hold every hit once."""
    ids = {make_document(people, f"季度报告{i}", pages=["季度 销售 报告"]) for i in range(7)}
    index_now(app)
    client = app.test_client()
    auth = people.auth("staff")
    seen = []
    for page in (1, 2, 3):
        body = hits(client, "季度报告", headers=auth, page=page, per_page=3)
        assert body["total"] == 7 and body["pages"] == 3
        seen += [r["id"] for r in body["results"]]
    assert sorted(seen) == sorted(ids)


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "。，！？……"},
        {"q": "的 了 the and"},
        {"q": "销售" * 400},  # near the URL limit; longer URLs are refused with 414 before parsing
        {"q": '"客户 培训'},
        {"q": "(客户 OR 培训"},
        {"q": "foo:bar 客户"},
        {"q": "客户", "page": "-1"},
        {"q": "客户", "page": "99999"},
        {"q": "客户", "per_page": "100000"},
        {"q": "客户", "sort": "nonsense"},
        {"q": "*"},
        {"q": "-"},
        {"q": "OR OR OR"},
        {"q": "dept:"},
        {"q": "tag:"},
        {"q": "\x00客户"},
    ],
)
def test_bad_input_gives_a_sensible_page(app, people, corpus, params):
    """Odd queries and paging never give a 500: a normal (maybe empty) page, with a notice where useful."""
    response = app.test_client().get("/api/v1/search", query_string=params, headers=people.auth("staff"))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert len(body["results"]) <= 50
    assert body["page"] >= 1


def test_bad_input_notices(app, people, corpus):
    """The notice says when a query was cut, malformed or used an unknown field."""
    client = app.test_client()
    auth = people.auth("staff")
    assert hits(client, "客户" * 400, headers=auth)["notices"][0]["code"] == "truncated"
    body = hits(client, '"客户 培训', headers=auth)
    assert body["notices"][0]["code"] == "malformed" and body["total"] >= 2
    assert hits(client, "foo:bar 客户", headers=auth)["notices"][0]["code"] == "unknown_field"
    assert hits(client, "", headers=auth)["notices"][0]["code"] == "nothing_to_search"


def test_malformed_numbers_are_a_clear_422(app, people):
    """Parameters that are not numbers at all are refused with a 422 naming the field."""
    response = app.test_client().get("/api/v1/search?q=x&page=abc", headers=people.auth("staff"))
    assert response.status_code == 422
    assert "page" in response.get_json()["error"]["message"]


def test_date_facet_and_since_filter(app, people, corpus):
    """The date facet counts recent entries; `since` keeps only those."""
    old = make_document(people, "客户 旧案例", pages=["客户"])
    db.session.get(Document, old).updated_at = utcnow() - timedelta(days=400)
    db.session.commit()
    index_now(app)
    client = app.test_client()
    body = hits(client, "客户", headers=people.auth("staff"))
    since = {f["value"]: f["count"] for f in body["facets"]["since"]}
    assert since["365d"] == body["total"] - 1
    assert old not in doc_ids(hits(client, "客户", headers=people.auth("staff"), since="365d"))
