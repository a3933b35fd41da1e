"""The PostgreSQL search backend (HUB_SEARCH=postgres): rows, scope trimming, the query language,
facets, sorts, highlights, hostile input, the statement timeout, reindex and check.

The query-language, scope and page tests of the Whoosh path run on this backend too (tests/search_backends.py);
these look at what only this backend has. They need PostgreSQL: absent, they skip (fail in CI).
"""

import threading

import pytest
from sqlalchemy import text

from hub import create_app
from hub.extensions import db
from hub.models import Comment, Document, Share, User
from hub.search.backends import BackendRefused
from hub.search.service import Filters, search
from hub.search.suggest import suggest
from tests.search_backends import backend_app
from tests.search_helpers import hits, index_now, keys, make_document


@pytest.fixture
def app(instance):
    yield from backend_app(instance, "postgres")


def rows(sql, **params):
    with db.engine.connect() as connection:
        return connection.execute(text(sql), params).mappings().all()


def test_postgres_search_is_refused_without_a_postgresql_database(tmp_path):
    """HUB_SEARCH=postgres on SQLite (or an unknown backend) stops the app at start with a clear message."""
    base = {"TESTING": True, "INSTANCE_DIR": str(tmp_path), "UPLOAD_DIR": str(tmp_path / "u"),
            "INDEX_DIR": str(tmp_path / "i"), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.db'}"}
    with pytest.raises(BackendRefused, match="needs a PostgreSQL database"):
        create_app({**base, "SEARCH_BACKEND": "postgres"})
    with pytest.raises(BackendRefused, match="not a search backend"):
        create_app({**base, "SEARCH_BACKEND": "elastic"})
    assert create_app({**base, "SEARCH_BACKEND": "whoosh"})


def test_entries_are_rows_with_weighted_terms_and_scope(app, people):
    """The index job upserts a row: scope tokens, folded tags, and terms weighted title A, tags B, body D."""
    doc_id = make_document(people, "销售易实施方案", tags="CRM,实施", pages=["客户 培训 日程"])
    index_now(app)
    (row,) = rows("SELECT * FROM search_entries WHERE key = :k", k=f"document:{doc_id}")
    assert row["kind"] == "document" and "staff" in row["scope"] and row["tags"] == ["crm", "实施"]
    weighted = {r["lexeme"]: r["weights"] for r in rows(
        "SELECT lexeme, weights FROM unnest((SELECT terms FROM search_entries WHERE key = :k))",
        k=f"document:{doc_id}")}
    assert weighted["销售"] == ["A"] and weighted["crm"] == ["B"] and weighted["培训"] == ["D"]
    assert "实施" in weighted and {"A", "B"} <= set(weighted["实施"])
    db.session.get(Document, doc_id).title = "新标题"
    db.session.commit()
    index_now(app)
    assert rows("SELECT title FROM search_entries WHERE key = :k", k=f"document:{doc_id}")[0]["title"] == "新标题"


def test_deleting_a_document_deletes_its_comment_tree(app, people):
    """A deleted record takes the rows hanging on it (its comments) along."""
    doc_id = make_document(people, "旧版报价", pages=["旧版"])
    db.session.add(Comment(document_id=doc_id, author_id=people.ids["staff"], body="这个折扣已经作废"))
    db.session.commit()
    index_now(app)
    assert {r["parent"] for r in rows("SELECT parent FROM search_entries WHERE kind = 'comment'")} == {
        f"document:{doc_id}"}
    db.session.delete(db.session.get(Document, doc_id))
    db.session.commit()
    index_now(app)
    assert rows("SELECT key FROM search_entries WHERE kind IN ('document', 'comment')") == []


def test_customer_never_sees_staff_entries_even_with_forged_filters(app, people):
    """Scope is trimmed in the SQL: a customer finds only what is shared with their account, whatever they ask."""
    shared = make_document(people, "交付手册", pages=["交付流程"])
    internal = make_document(people, "内部交付复盘", pages=["交付流程"], visibility="department")
    db.session.add(Share(document_id=shared, account_id=people.accounts["customer"], created_by_id=people.ids["staff"]))
    db.session.add(Comment(document_id=shared, author_id=people.ids["staff"], body="交付流程 保密"))
    db.session.commit()
    index_now(app)
    client = app.test_client()
    customer = people.auth("customer")
    assert keys(hits(client, "交付流程", headers=customer)) == {("document", shared)}
    for forged in ({"kind": "comment"}, {"department_id": people.departments["A"]}, {"category": "product"},
                   {"min_rating": 0}, {"q": "交付流程 OR 复盘"}, {"q": f"dept:{people.departments['A']} 交付"},
                   {"q": "scope:staff 交付"}, {"q": "kind:comment 保密"}, {"q": "tag:* 交付"}):
        params = {"q": "交付流程", **forged}
        found = keys(hits(client, params.pop("q"), headers=customer, **params))
        assert found <= {("document", shared)}, forged
        assert ("document", internal) not in found
    assert hits(client, "交付流程", headers=people.auth("other_customer"))["total"] == 0
    staff = keys(hits(client, "交付流程", headers=people.auth("staff")))
    assert ("document", shared) in staff and ("comment", 1) in staff
    with app.test_request_context("/search"):  # an id no column holds: nothing found, no error
        outcome = search(db.session.get(User, people.ids["staff"]), "交付流程", Filters(department_id=2**40))
    assert outcome.total == 0 and outcome.notices == [] and outcome.unfiltered >= 2


def test_facets_sorts_pages_and_highlights(app, people):
    """Counts by value over the trimmed set, rating/newest sorts, pages and a marked snippet on its best page."""
    first = make_document(people, "报价模板", pages=["封面", "季度报价 模板 说明"], category="product")
    second = make_document(people, "报价案例", pages=["季度报价"], category="case_study", file_type="docx")
    hidden = make_document(people, "隐藏报价", pages=["季度报价"], visibility="department", dept="A")
    index_now(app)
    client = app.test_client()
    body = hits(client, "季度报价", headers=people.auth("expert"))  # not in department A
    assert body["total"] == 2 and hidden not in {r["id"] for r in body["results"]}
    assert {f["value"]: f["count"] for f in body["facets"]["category"]} == {"product": 1, "case_study": 1}
    assert {f["value"]: f["count"] for f in body["facets"]["file_type"]} == {"pdf": 1, "docx": 1}
    assert body["facets"]["kind"][0]["count"] == 2
    hit = next(r for r in body["results"] if r["id"] == first)
    assert hit["page"] == 2 and "<mark>" in hit["snippet_html"] and "季度" in hit["snippet_html"]
    paged = [hits(client, "季度报价", headers=people.auth("expert"), per_page=1, page=p)["results"][0]["id"]
             for p in (1, 2)]
    assert sorted(paged) == sorted([first, second])
    only = hits(client, "季度报价", headers=people.auth("expert"), file_type="docx")
    assert keys(only) == {("document", second)} and only["total"] == 1


def test_query_language_is_translated(app, people):
    """Phrases, OR, exclusion, prefixes, title:, tag:, dept: and the any-words fallback, on this backend."""
    a = make_document(people, "客户培训手册", pages=["客户 培训 日程 安排"], tags="培训")
    b = make_document(people, "竞品价格对比", dept="B", pages=["竞品 价格 对比"], tags="竞品")
    c = make_document(people, "服务说明", pages=["我们提供客户成功服务，也提供培训。"])
    index_now(app)
    client = app.test_client()
    auth = people.auth("staff")

    def ids(q):
        return {i for k, i in keys(hits(client, q, headers=auth)) if k == "document"}

    assert ids('"客户 培训"') == {a}
    assert ids("客户 培训") == {a, c}
    assert ids("竞品 OR 日程") == {a, b}
    assert ids("培训 -日程") == {c}
    assert ids("竞*") == {b}
    assert ids("title:培训") == {a}
    assert ids("tag:竞品") == {b}
    assert ids(f"dept:{people.departments['B']}") == {b}
    assert ids("-培训") == {b}
    body = hits(client, "竞品 日程", headers=auth)
    assert {r["id"] for r in body["results"]} == {a, b} and body["notices"][0]["code"] == "any_match"


HOSTILE = [
    "*" * 500,
    "* ? ** a* b* c* 销* " * 40,
    "(" * 5000 + "客户" + ")" * 5000,
    " OR ".join(["客户"] * 10000),
    "客\x00户 \x00",
    "客户" * 8000,  # 16k characters
    "title:title:tag:dept:scope:staff kind:document 客户",
    "tag:'); DROP TABLE search_entries; -- 客户",
    "'客户' & !培训 | <-> :* \\ ''",
    '"' + "客户 " * 400 + '"',
    "-" * 300 + " -客户 -培训",
    "dept:1 OR dept:2 OR dept:999999999999999999999",
]


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_answer_with_a_page(app, people, q):
    """Wildcards, deep parentheses, 10,000 ORs, NUL bytes, 16k characters, tsquery syntax, field injection:
    a normal page (perhaps with a notice), never a 500; the table is untouched."""
    make_document(people, "客户培训", pages=["客户 培训"])
    index_now(app)
    staff = db.session.get(User, people.ids["staff"])
    with app.test_request_context("/search"):  # the service itself: a URL this long is refused (414) first
        outcome = search(staff, q)
        assert outcome.page == 1 and not {"index_unavailable", "search_timeout"} & set(dict(outcome.notices))
        assert isinstance(suggest(staff, q), list)
    client = app.test_client()
    response = client.get("/api/v1/search", query_string={"q": q}, headers=people.auth("staff"))
    assert response.status_code in (200, 414), response.get_data(as_text=True)[:300]
    response = client.get("/api/v1/search/suggest", query_string={"q": q}, headers=people.auth("staff"))
    assert response.status_code in (200, 414)
    assert rows("SELECT count(*) AS n FROM search_entries WHERE kind = 'document'")[0]["n"] == 1


def test_a_search_stopped_by_the_statement_timeout_says_so(app, people):
    """A search that cannot finish within SEARCH_STATEMENT_TIMEOUT_MS ends with a notice, not a 500 or a hang."""
    make_document(people, "客户培训", pages=["客户 培训"])
    index_now(app)
    app.config["SEARCH_STATEMENT_TIMEOUT_MS"] = 300
    locked, release = threading.Event(), threading.Event()

    def hold_lock():  # another session rebuilding the table: every read waits on its lock
        with app.app_context(), db.engine.connect() as connection, connection.begin():
            connection.execute(text("LOCK TABLE search_entries IN ACCESS EXCLUSIVE MODE"))
            locked.set()
            release.wait(30)

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(10)
        body = hits(app.test_client(), "客户", headers=people.auth("staff"))
    finally:
        release.set()
        holder.join()
    assert body["total"] == 0 and [n["code"] for n in body["notices"]] == ["search_timeout"]
    assert "搜索耗时过长" in body["notice"]
    assert hits(app.test_client(), "客户", headers=people.auth("staff"))["total"] == 1


def test_reindex_and_check_from_the_command_line(app, people):
    """`flask search reindex` rebuilds the rows (docs/s printed); `check` names drift and --repair fixes it."""
    doc_id = make_document(people, "渠道政策", pages=["渠道返点政策"])
    make_document(people, "报价模板", pages=["报价"])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "missing: " in result.output and f"document:{doc_id}" in result.output
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "search_entries" in result.output and "docs/s" in result.output
    assert runner.invoke(args=["search", "check"]).output.strip() == "index matches the database"
    assert hits(app.test_client(), "返点", headers=people.auth("staff"))["total"] == 1
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM search_entries WHERE key = :k"), {"k": f"document:{doc_id}"})
        connection.execute(text("UPDATE search_entries SET digest = 'x' WHERE kind = 'person'"))
        connection.execute(text(
            "INSERT INTO search_entries (key, kind, scope, terms, suggest, digest) "
            "VALUES ('document:999999', 'document', '{staff}', '', '', 'x')"))
    result = runner.invoke(args=["search", "check", "--repair"])
    assert "missing: 1" in result.output and "orphan: 1: document:999999" in result.output
    assert "stale:" in result.output and "repaired" in result.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    assert hits(app.test_client(), "返点", headers=people.auth("staff"))["total"] == 1


def test_suggestions_use_the_prefix_index(app, people):
    """Suggestions by text, pinyin and initials come from the `suggest` lexemes, trimmed to the reader's scope."""
    make_document(people, "销售易部署指南", pages=["部署"], tags="部署")
    make_document(people, "内部底价表", visibility="department", dept="A", pages=["底价"])
    index_now(app)
    client = app.test_client()
    for typed, who, expected in (("xsy", "staff", True), ("销售", "staff", True), ("dijia", "expert", False)):
        found = client.get("/api/v1/search/suggest", query_string={"q": typed}, headers=people.auth(who))
        labels = [s["label"] for s in found.get_json()["suggestions"]]
        assert bool(labels) == expected, (typed, labels)


def test_admin_dictionary_words_are_kept_whole_after_reindex(app, people):
    """The dictionary a reindex applied is kept with the rows: updates and queries segment with it."""
    from hub.models import SearchWord

    whole = make_document(people, "合作方案", pages=["华腾云是我们的伙伴"])
    index_now(app)

    def lexemes():
        sql = "SELECT (unnest(terms)).lexeme AS lexeme FROM search_entries WHERE kind = 'document'"
        return {r["lexeme"] for r in rows(sql)}

    assert "华腾云" not in lexemes()
    db.session.add(SearchWord(word="华腾云", kind="competitor"))
    db.session.commit()
    runner = app.test_cli_runner()
    assert "dictionary: changed" in runner.invoke(args=["search", "check"]).output
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert "华腾云" in lexemes()
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    assert keys(hits(app.test_client(), "華騰雲", headers=people.auth("staff"))) == {("document", whole)}


def test_the_migration_creates_the_tables_the_backend_describes(app):
    """`flask db upgrade` on PostgreSQL builds search_entries and search_meta exactly as pg_models says."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask_migrate import upgrade

    from hub.search import pg_models

    db.drop_all()
    with db.engine.begin() as connection:
        pg_models.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    try:
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), pg_models.metadata)
            assert pg_models.tables_exist(connection)
        assert [d for d in diff if "search_entries" in repr(d) or "search_meta" in repr(d)] == []
    finally:  # the migrated schema names some constraints differently from create_all: drop it whole
        with db.engine.begin() as connection:
            names = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            for (name,) in names.all():
                connection.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))


def test_without_the_tables_search_says_it_is_unavailable(app, people):
    """Before `flask db upgrade` made search_entries, a search answers with a notice, suggestions are empty,
    and `search check` names the problem."""
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE search_entries, search_meta"))
    client = app.test_client()
    body = hits(client, "客户", headers=people.auth("staff"))
    assert body["total"] == 0 and [n["code"] for n in body["notices"]] == ["index_unavailable"]
    found = client.get("/api/v1/search/suggest", query_string={"q": "kehu"}, headers=people.auth("staff"))
    assert found.status_code == 200 and found.get_json()["suggestions"] == []
    result = app.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code == 1 and "flask db upgrade" in result.output


def table_rows() -> list[dict]:
    """Every search_entries row, each column as text, in key order."""
    return [dict(r) for r in rows(
        "SELECT key, kind, parent, scope, terms::text AS terms, title, tags, dept, category, file_type, rating, "
        "date, suggest::text AS suggest, digest FROM search_entries ORDER BY key")]


def parallel_corpus(people) -> None:
    for i in range(12):
        doc = make_document(people, f"并行文档{i}", pages=[f"并行 索引 第{i}份 渠道返点"], tags=f"并行,T{i}")
        db.session.add(Comment(document_id=doc, author_id=people.ids["staff"], body=f"评论 {i} 并行"))
    db.session.commit()


def test_parallel_reindex_writes_the_rows_the_in_process_one_does(app, people, monkeypatch):
    """Forced onto worker processes (used from 2,000 entries on), reindex writes exactly the in-process rows;
    below the threshold it stays in this process."""
    from hub.search import bulk, maintenance

    parallel_corpus(people)
    pools = []
    real_pool = bulk.in_pool

    def spy(work, rows_in, size, words, procs):
        pools.append(procs)
        yield from real_pool(work, rows_in, size, words, procs)

    monkeypatch.setattr(bulk, "in_pool", spy)
    written = maintenance.reindex(app.config["INDEX_DIR"])
    in_process = table_rows()
    assert pools == [] and written == len(in_process) > 24
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM search_entries"))
    assert maintenance.reindex(app.config["INDEX_DIR"], procs=2) == written
    assert pools == [2] and table_rows() == in_process
    assert maintenance.check(app.config["INDEX_DIR"]).clean


def test_a_worker_failing_mid_reindex_changes_no_row(app, people, monkeypatch):
    """An analyser process that fails half-way aborts the one transaction: the old rows stay as they were."""
    from hub.search import maintenance, pg_maintenance

    parallel_corpus(people)
    maintenance.reindex(app.config["INDEX_DIR"])
    before = table_rows()
    real_row = pg_maintenance.row

    def failing(kind, ident, entry):  # inherited by the forked workers
        if kind == "comment" and ident == 7:
            raise RuntimeError("analyser died")
        return real_row(kind, ident, entry)

    monkeypatch.setattr(pg_maintenance, "row", failing)
    db.session.scalars(db.select(Document)).first().title = "改过的标题"  # a rebuild would change a row
    db.session.commit()
    with pytest.raises(RuntimeError, match="analyser died"):
        maintenance.reindex(app.config["INDEX_DIR"], procs=2)
    assert table_rows() == before
