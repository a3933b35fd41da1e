"""Search end to end: Chinese segmentation, folding, indexing after commit, the kinds indexed."""

from hub.departments import services as dept_services
from hub.extensions import db
from hub.models import Document, User
from tests import search_backends
from tests.search_helpers import hits, index_now, keys, make_document

app = search_backends.app  # the fixture: every test here runs on both backends (Whoosh, PostgreSQL)


def test_compound_word_is_found_by_its_parts(app, people):
    """A query for 销售 finds documents saying 销售人员 (jieba search mode at index and query time)."""
    doc = make_document(people, "渠道手册", pages=["我们的销售人员每周拜访客户。"])
    other = make_document(people, "无关文档", pages=["这里只谈物流与仓储。"])
    index_now(app)
    body = hits(app.test_client(), "销售", headers=people.auth("staff"))
    assert ("document", doc) in keys(body)
    assert ("document", other) not in keys(body)


def test_traditional_query_finds_simplified_text_and_back(app, people):
    """繁體 and 简体 fold to the same terms: a traditional query finds simplified text and the reverse."""
    simp = make_document(people, "客户管理系统介绍", pages=["客户管理系统支持移动办公。"])
    trad = make_document(people, "報價單範本", pages=["這份報價單適用於華東區域。"])
    index_now(app)
    client = app.test_client()
    assert ("document", simp) in keys(hits(client, "客戶管理", headers=people.auth("staff")))
    assert ("document", trad) in keys(hits(client, "报价单", headers=people.auth("staff")))


def test_english_is_stemmed_and_codes_and_numbers_match(app, people):
    """English words match across inflections; product codes and numbers are searchable."""
    doc = make_document(
        people, "Pricing guide", pages=["Our pricing for model X200-Pro starts at 4999 yuan in 2024."]
    )
    index_now(app)
    client = app.test_client()
    for q in ("price", "X200-Pro", "4999", "x200 2024"):
        assert ("document", doc) in keys(hits(client, q, headers=people.auth("staff"))), q


def test_hit_links_to_best_page_with_marked_snippet(app, people):
    """A document appears once; its result names the best-matching page and marks the terms."""
    doc = make_document(
        people, "产品白皮书", pages=["第一页：公司简介。", "第二页：竞品对比与价格策略。", "第三页：附录"]
    )
    index_now(app)
    body = hits(app.test_client(), "价格策略", headers=people.auth("staff"))
    results = [r for r in body["results"] if r["kind"] == "document"]
    assert [r["id"] for r in results] == [doc]
    assert results[0]["page"] == 2
    assert (
        "<mark>价格</mark>" in results[0]["snippet_html"]
        or "<mark>价格策略</mark>" in results[0]["snippet_html"]
    )
    assert "page=2" in results[0]["url"]


def test_snippet_escapes_html_from_content(app, people):
    """Text from the database is escaped in snippets; only <mark> is markup."""
    make_document(people, "脚本测试", pages=["<script>alert(1)</script> 销售 方案"])
    index_now(app)
    body = hits(app.test_client(), "销售", headers=people.auth("staff"))
    html = body["results"][0]["snippet_html"]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_notes_questions_answers_and_customers_are_indexed_after_commit(app, people):
    """Experience notes, questions, answers and customer accounts become searchable after commit."""
    staff = db.session.get(User, people.ids["staff"])
    dept = staff.memberships[0].department
    post = dept_services.create_post(dept, staff, "华东区渠道经验", "经销商激励政策很重要")
    question = dept_services.ask(dept, staff, "如何应对竞品降价", "对方报价低三成")
    db.session.commit()
    answer = dept_services.answer(question, staff, "强调服务响应速度和本地化团队")
    db.session.commit()
    index_now(app)
    client = app.test_client()
    auth = people.auth("staff")
    assert ("post", post.id) in keys(hits(client, "经销商激励", headers=auth))
    assert ("question", question.id) in keys(hits(client, "竞品降价", headers=auth))
    assert ("answer", answer.id) in keys(hits(client, "本地化团队", headers=auth))
    assert ("customer", people.accounts["customer"]) in keys(hits(client, "华东精密制造", headers=auth))


def test_deleting_a_document_removes_it(app, people):
    """Deleting a document removes it from results once the index job ran."""
    doc_id = make_document(people, "即将删除的方案", pages=["年度销售方案"])
    index_now(app)
    client = app.test_client()
    assert ("document", doc_id) in keys(hits(client, "年度销售方案", headers=people.auth("staff")))
    db.session.delete(db.session.get(Document, doc_id))
    db.session.commit()
    index_now(app)
    assert ("document", doc_id) not in keys(hits(client, "年度销售方案", headers=people.auth("staff")))


def test_thumbnails_are_offered_to_staff_only(app, people):
    """A document with a thumbnail shows it to staff; customer users never get a staff-only link."""
    from hub.models import DocumentVersion, Share

    doc_id = make_document(people, "带缩略图的方案", pages=["缩略图 方案"])
    version = db.session.scalar(db.select(DocumentVersion).where(DocumentVersion.document_id == doc_id))
    version.thumb_path = "previews/1/thumb.jpg"
    db.session.add(
        Share(document_id=doc_id, account_id=people.accounts["customer"], created_by_id=people.ids["staff"])
    )
    db.session.commit()
    index_now(app)
    client = app.test_client()
    staff = hits(client, "缩略图", headers=people.auth("staff"))["results"][0]
    assert staff["thumbnail"] == f"/api/v1/documents/{doc_id}/thumbnail"
    customer = hits(client, "缩略图", headers=people.auth("customer"))["results"][0]
    assert customer["id"] == doc_id and customer["thumbnail"] is None


def test_other_areas_schedule_refresh_and_delete(app, people):
    """schedule() and schedule_delete() queue index work that runs after the caller's commit."""
    from hub.search import indexing

    doc_id = make_document(people, "手动调度的文档", pages=["调度"])
    index_now(app)
    client = app.test_client()
    indexing.schedule_delete("document", doc_id)
    db.session.commit()
    index_now(app)
    assert hits(client, "调度", headers=people.auth("staff"))["total"] == 0
    indexing.schedule("document", doc_id)
    db.session.commit()
    index_now(app)
    assert hits(client, "调度", headers=people.auth("staff"))["total"] == 1


def test_without_a_jobs_table_indexing_runs_right_after_commit(app, people):
    """When the job queue cannot be used (SEARCH_INDEX_SYNC), the commit itself updates the index."""
    app.config["SEARCH_INDEX_SYNC"] = True
    doc_id = make_document(people, "同步索引的文档", pages=["同步"])
    assert ("document", doc_id) in keys(hits(app.test_client(), "同步", headers=people.auth("staff")))


def test_page_text_is_indexed_when_the_preview_is_ready_not_page_by_page(app, people):
    """Rendering progress does not queue index work per page; the move to `ready` indexes all page texts."""
    from hub.models import DocumentPage, DocumentVersion, Job

    doc_id = make_document(people, "渲染中的文档", pages=[])
    version = db.session.scalar(db.select(DocumentVersion).where(DocumentVersion.document_id == doc_id))
    version.preview_state = "rendering"
    db.session.commit()
    index_now(app)
    before = db.session.scalar(db.select(db.func.count(Job.id)))
    for number in (1, 2, 3):
        db.session.add(
            DocumentPage(version_id=version.id, number=number, text=f"第{number}页 渲染结果 增长曲线")
        )
        version.pages_ready = number
        db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Job.id))) == before
    version.preview_state = "ready"
    db.session.commit()
    index_now(app)
    body = hits(app.test_client(), "增长曲线", headers=people.auth("staff"))
    assert keys(body) == {("document", doc_id)} and body["results"][0]["page"] in (1, 2, 3)
