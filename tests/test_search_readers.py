"""Searching while the index is written: no failed search, fresh results, no searcher left open.

Real Whoosh index, real database, real commits through Hub's indexing functions.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from whoosh.index import TOC

from hub.search import indexing, kinds
from hub.search.index import open_index
from hub.search.indexing import writing
from tests.search_helpers import hits, index_now, keys, make_document


def reindex(app):
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output


def test_searches_never_fail_while_the_index_takes_many_small_commits(app, people):
    """One thread indexes documents one commit each, as bulk uploads do; searches meanwhile see no error."""
    ids = [make_document(people, f"批量文档{i}", pages=[f"批量 上传 第{i}份"]) for i in range(30)]
    writing_done = threading.Event()
    errors, searches = [], []

    def write():
        try:
            with app.app_context():
                for ident in ids:
                    indexing.apply([["document", ident, "refresh"]])
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(f"writer: {exc!r}")
        finally:
            writing_done.set()

    def one_search(n):
        try:
            with app.app_context():
                response = app.test_client().get(
                    "/api/v1/search", query_string={"q": "批量", "per_page": 5}, headers=people.auth("staff")
                )
            if response.status_code != 200:
                errors.append(f"reader {n}: {response.status_code} {response.get_data(as_text=True)[:300]}")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(f"reader {n}: {exc!r}")

    def search(n):
        count = 0
        while not writing_done.is_set() or count == 0:
            request = threading.Thread(target=one_search, args=(n,))  # a thread per request, as app.py runs them
            request.start()
            request.join()
            count += 1
        searches.append(count)

    threads = [threading.Thread(target=write)] + [threading.Thread(target=search, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(searches) == 3
    body = hits(app.test_client(), "批量", headers=people.auth("staff"), per_page=50)
    assert keys(body) == {("document", i) for i in ids}


def test_a_commit_racing_the_open_does_not_fail_the_search(app, people, monkeypatch):
    """A commit that lands between listing the index's generations and reading the newest one is retried."""
    doc = make_document(people, "竞争文档", pages=["竞争 条件"])
    other = make_document(people, "另一份文档", pages=["另一份"])
    index_now(app)
    path = app.config["INDEX_DIR"]
    # The racing writer has its index open already (as another process would): it needs no open lock.
    writer_ix = open_index(path)
    fields = kinds.to_fields("document", other, kinds.get("document").entries([other])[other])
    listed = TOC._latest_generation
    me, state = threading.get_ident(), {"busy": False, "races": 0}

    def commit_after_listing(cls, storage, indexname):
        generation = listed(storage, indexname)
        if threading.get_ident() == me and not state["busy"] and state["races"] < 3:
            state["busy"] = True  # the commit lists generations too
            try:
                with writing(path, writer_ix) as writer:  # its commit deletes the TOC just listed
                    writer.update_document(**fields)
            finally:
                state["busy"] = False
            state["races"] += 1
        return generation

    monkeypatch.setattr(TOC, "_latest_generation", classmethod(commit_after_listing))
    body = hits(app.test_client(), "竞争", headers=people.auth("staff"))
    assert state["races"] == 3
    assert keys(body) == {("document", doc)}


def test_a_search_sees_a_rebuilt_index_and_each_commit(app, people):
    """The cached index follows a rebuild that counts generations from 0 again, and later commits."""
    first = make_document(people, "第一份", pages=["新鲜 内容"])
    reindex(app)
    client = app.test_client()
    assert keys(hits(client, "新鲜", headers=people.auth("staff"))) == {("document", first)}
    # A restore puts a new index in place: same directory, and the same generation number as before.
    second = make_document(people, "第二份", pages=["新鲜 内容"])
    shutil.rmtree(app.config["INDEX_DIR"])
    reindex(app)
    assert keys(hits(client, "新鲜", headers=people.auth("staff"))) == {("document", first), ("document", second)}
    third = make_document(people, "第三份", pages=["新鲜 内容"])
    index_now(app)
    found = keys(hits(client, "新鲜", headers=people.auth("staff")))
    assert found == {("document", first), ("document", second), ("document", third)}


def _deleted_index_files_open(path: str) -> list[str]:
    """Files under path that this process still has open or mapped although they were deleted."""
    prefix = os.path.realpath(path)
    found = []
    for line in Path("/proc/self/maps").read_text().splitlines():
        if prefix in line and line.endswith("(deleted)"):
            found.append(line.split(None, 5)[-1])
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(prefix) and target.endswith("(deleted)"):
            found.append(target)
    return found


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_searchers_of_replaced_segments_are_closed(app, people):
    """A thread that searched and went quiet does not keep the segment files a rebuild replaced open."""
    make_document(people, "旧段文档", pages=["分段 内容"])
    reindex(app)
    searched, finish = threading.Event(), threading.Event()

    def search_then_idle():
        with app.app_context():
            hits(app.test_client(), "分段", headers=people.auth("staff"))
        searched.set()
        finish.wait()

    idle = threading.Thread(target=search_then_idle)
    idle.start()
    try:
        searched.wait()
        reindex(app)  # replaces every segment the idle thread's search read
        assert hits(app.test_client(), "分段", headers=people.auth("staff"))["total"] == 1
        assert _deleted_index_files_open(app.config["INDEX_DIR"]) == []
    finally:
        finish.set()
        idle.join()
