"""Permission trimming happens inside the query: results, totals and facets hold only what the reader may see."""

from hub.extensions import db
from hub.models import Comment, Document, Share, utcnow
from tests import search_backends
from tests.search_helpers import hits, index_now, keys, make_document

app = search_backends.app  # the fixture: every test here runs on both backends (Whoosh, PostgreSQL)


def test_department_only_document_is_found_by_members_and_admins(app, people):
    """A `department` document is found by its department's members and admins, not by other staff."""
    secret = make_document(people, "内部价格底线", dept="A", visibility="department", pages=["底价清单"])
    index_now(app)
    client = app.test_client()
    assert ("document", secret) in keys(hits(client, "底价", headers=people.auth("staff")))
    assert ("document", secret) in keys(hits(client, "底价", headers=people.auth("admin")))
    body = hits(client, "底价", headers=people.auth("expert"))
    assert body["total"] == 0 and body["results"] == []
    assert all(f["count"] == 0 for f in body["facets"].get("rating", []))
    assert body["facets"]["kind"] == []


def test_counts_and_facets_are_trimmed_like_results(app, people):
    """Totals and facet counts count only visible entries, so they never leak hidden ones."""
    for i in range(3):
        make_document(people, f"公开方案{i}", dept="A", pages=["报价方案模板"])
    for i in range(4):
        make_document(people, f"隐藏方案{i}", dept="A", visibility="department", pages=["报价方案模板"])
    index_now(app)
    body = hits(app.test_client(), "报价方案", headers=people.auth("expert"))
    assert body["total"] == 3
    assert body["facets"]["kind"] == [
        {"value": "document", "count": 3, "label": body["facets"]["kind"][0]["label"]}
    ]
    assert sum(f["count"] for f in body["facets"]["dept"]) == 3


def test_changing_visibility_updates_the_index(app, people):
    """Making a document department-only hides it from other staff once the index job ran."""
    doc_id = make_document(people, "渠道政策", dept="A", pages=["渠道返点政策"])
    index_now(app)
    client = app.test_client()
    assert ("document", doc_id) in keys(hits(client, "返点", headers=people.auth("expert")))
    db.session.get(Document, doc_id).visibility = "department"
    db.session.commit()
    index_now(app)
    assert ("document", doc_id) not in keys(hits(client, "返点", headers=people.auth("expert")))


def share(doc_id: int, account_id: int, people) -> Share:
    row = Share(document_id=doc_id, account_id=account_id, created_by_id=people.ids["staff"])
    db.session.add(row)
    db.session.commit()
    return row


def test_customer_sees_only_documents_shared_with_their_account(app, people):
    """A customer user finds documents shared with their account, and nothing else: no Q&A, notes, accounts."""
    shared = make_document(people, "华东精密制造 交付手册", pages=["交付流程与验收标准"])
    make_document(people, "内部交付复盘", pages=["交付流程问题复盘"])
    row = share(shared, people.accounts["customer"], people)
    index_now(app)
    client = app.test_client()
    body = hits(client, "交付流程", headers=people.auth("customer"))
    assert keys(body) == {("document", shared)}
    assert body["total"] == 1 and set(body["facets"]) == {"file_type"}  # a customer filters by file type only
    assert hits(client, "交付流程", headers=people.auth("other_customer"))["total"] == 0
    assert (
        hits(client, "华东精密制造", headers=people.auth("customer"))["total"] == 1
    )  # not the account entry
    suggestions = client.get("/api/v1/search/suggest?q=huadong", headers=people.auth("customer")).get_json()
    assert [s["kind"] for s in suggestions["suggestions"]] == ["document"]
    row.revoked_at = utcnow()
    db.session.commit()
    index_now(app)
    assert hits(client, "交付流程", headers=people.auth("customer"))["total"] == 0


def test_customer_never_sees_comments_on_a_shared_document(app, people):
    """Comments are internal: a document shared with an account does not expose its comments."""
    doc_id = make_document(people, "交付手册", pages=["验收"])
    share(doc_id, people.accounts["customer"], people)
    db.session.add(
        Comment(document_id=doc_id, author_id=people.ids["staff"], body="客户很难缠，注意保密条款")
    )
    db.session.commit()
    index_now(app)
    client = app.test_client()
    assert ("comment", 1) in keys(hits(client, "保密条款", headers=people.auth("staff")))
    assert hits(client, "保密条款", headers=people.auth("customer"))["total"] == 0
    assert hits(client, "验收", headers=people.auth("customer"))["total"] == 1


def test_deleting_a_document_removes_its_comments_from_the_index(app, people):
    """Comments hang on their document: deleting the document removes them from search too."""
    doc_id = make_document(people, "旧版报价", pages=["旧版"])
    db.session.add(Comment(document_id=doc_id, author_id=people.ids["staff"], body="这个折扣已经作废"))
    db.session.commit()
    index_now(app)
    client = app.test_client()
    assert hits(client, "折扣作废", headers=people.auth("staff"))["total"] == 1
    db.session.delete(db.session.get(Document, doc_id))
    db.session.commit()
    index_now(app)
    assert hits(client, "折扣作废", headers=people.auth("staff"))["total"] == 0


def test_anonymous_callers_are_refused(client):
    """The search API needs a signed-in caller."""
    assert client.get("/api/v1/search?q=销售").status_code == 401
    assert client.get("/api/v1/search/suggest?q=xs").status_code == 401
