"""Rebuilding and checking the index, the admin dictionary, and a writer killed half-way."""

import subprocess
import sys
import textwrap

from hub.extensions import db
from hub.models import Document, SearchWord
from hub.search.index import open_index
from tests.conftest import login
from tests.search_helpers import hits, index_now, keys, make_document


def run(app, *args):
    return app.test_cli_runner().invoke(args=["search", *args])


def test_reindex_rebuilds_from_the_database_and_check_passes(app, people):
    """`search reindex` indexes every record with a progress bar; `search check` then finds no drift."""
    make_document(people, "方案一", pages=["内容"])
    db.session.query(SearchWord).delete()
    db.session.commit()
    result = run(app, "reindex")
    assert result.exit_code == 0, result.output
    assert "indexed" in result.output
    check = run(app, "check")
    assert check.exit_code == 0, check.output
    assert "matches" in check.output


def test_check_names_missing_stale_and_orphan_entries(app, people):
    """Drift is reported per entry and exits non-zero; --repair brings the index back in line."""
    keep = make_document(people, "保留的文档", pages=["内容"])
    gone = make_document(people, "删除的文档", pages=["内容"])
    make_document(people, "最后的文档", pages=["内容"])  # so SQLite does not hand out gone's id again
    assert run(app, "reindex").exit_code == 0
    # Change the database behind the index's back: no hooks, as if a job had been lost.
    app.config["SEARCH_INDEX_SYNC"] = True
    db.session.execute(db.update(Document).where(Document.id == keep).values(title="改过的标题"))
    db.session.execute(db.delete(Document).where(Document.id == gone))
    db.session.info.pop("hub_search_pending", None)
    db.session.commit()
    fresh = make_document(people, "新的文档", pages=["内容"])
    with open_index(app.config["INDEX_DIR"]).writer() as writer:
        writer.delete_by_term("key", f"document:{fresh}")
    result = run(app, "check")
    assert result.exit_code == 1
    assert f"missing: 1: document:{fresh}" in result.output
    assert f"stale: 1: document:{keep}" in result.output
    assert f"orphan: 1: document:{gone}" in result.output
    assert run(app, "check", "--repair").exit_code == 0
    assert run(app, "check").exit_code == 0


def test_a_writer_killed_half_way_leaves_an_index_that_opens(app, people):
    """A process killed while writing leaves the last committed index readable and `check` names the drift."""
    first = make_document(people, "已提交的文档", pages=["内容"])
    assert run(app, "reindex").exit_code == 0
    later = make_document(people, "未提交的文档", pages=["内容"])
    script = textwrap.dedent(f"""
        import os
        from hub.search.indexing import writing
        with writing({app.config["INDEX_DIR"]!r}) as w:
            for i in range(200):
                w.add_document(key=f"document:{{1000 + i}}", kind="document", title="半途", body="半途 " * 50)
            os._exit(9)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == 9, proc.stderr.decode()[-2000:]
    ix = open_index(app.config["INDEX_DIR"])
    with ix.searcher() as searcher:
        stored = {f["key"] for f in searcher.all_stored_fields()}
    assert f"document:{first}" in stored and "document:1000" not in stored
    # The index's own lock died with the process: a new writer gets it at once.
    with ix.writer(timeout=1.0) as writer:
        writer.delete_by_term("key", "nothing")
    result = run(app, "check")
    assert result.exit_code == 1 and f"document:{later}" in result.output


def test_admin_dictionary_words_are_kept_whole_after_reindex(app, people, client):
    """A name an admin adds is segmented whole once reindexed, at index and at query time."""
    whole = make_document(people, "合作方案", pages=["华腾云是我们的伙伴"])
    index_now(app)
    assert "华腾云" not in body_terms(app)
    login(client, people.emails["admin"])
    page = client.get("/search/dictionary")
    assert page.status_code == 200
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/search/dictionary", data={"word": "華騰雲", "kind": "competitor", "csrf_token": token}
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(SearchWord.word)) == "华腾云"
    assert "dictionary: changed" in run(app, "check").output
    assert run(app, "reindex").exit_code == 0
    assert "华腾云" in body_terms(app)
    assert run(app, "check").exit_code == 0
    assert keys(hits(app.test_client(), "華騰雲", headers=people.auth("staff"))) == {("document", whole)}


def body_terms(app) -> set[str]:
    with open_index(app.config["INDEX_DIR"]).searcher() as searcher:
        return {t.decode() for t in searcher.lexicon("body")}


def test_dictionary_is_for_admins_only(app, people, client):
    """Staff cannot open or change the dictionary."""
    login(client, people.emails["staff"])
    assert client.get("/search/dictionary").status_code == 403


def test_an_index_of_another_schema_version_is_reported_and_rebuilt(app, people):
    """An index built by another version answers with a notice (not a 500); check fails; reindex fixes it."""
    import os

    from hub.search.index import VERSION_FILE
    from hub.search.readers import forget

    doc = make_document(people, "版本测试", pages=["版本"])
    assert run(app, "reindex").exit_code == 0
    with open(os.path.join(app.config["INDEX_DIR"], VERSION_FILE), "w") as fh:
        fh.write("999")
    forget(app.config["INDEX_DIR"])
    body = hits(app.test_client(), "版本", headers=people.auth("staff"))
    assert body["total"] == 0 and body["notices"][0]["code"] == "index_unavailable"
    result = run(app, "check")
    assert result.exit_code == 1 and "schema version 999" in result.output
    assert run(app, "reindex").exit_code == 0
    assert keys(hits(app.test_client(), "版本", headers=people.auth("staff"))) == {("document", doc)}


def test_parallel_reindex_gives_the_same_index(app, people):
    """The multi-process rebuild (used from 2,000 entries on) writes every entry, and check finds no drift."""
    from hub.search.maintenance import check, reindex

    ids = [make_document(people, f"并行文档{i}", pages=[f"并行 索引 第{i}份"]) for i in range(12)]
    reindex(app.config["INDEX_DIR"], procs=2)
    assert check(app.config["INDEX_DIR"]).clean
    found = keys(hits(app.test_client(), "并行 索引", headers=people.auth("staff"), per_page=50))
    assert found == {("document", i) for i in ids}
