"""Batched index writes: the first `search.index` job to run writes every queued one with one writer commit,
marks them done only after that commit, hands them back when the write fails, and leaves them to the
worker's recovery when its process dies half-way."""

import os
import subprocess
import sys

from whoosh import index as whoosh_index

from hub import jobs
from hub.extensions import db
from hub.models import Document, Job
from hub.search import indexing, kinds
from tests.search_helpers import hits, index_now, keys, make_document

POISON = "tests.poison"


def _poison_entries(rows):
    raise RuntimeError("this record cannot be indexed")


def generation(app) -> int:
    """Whoosh adds one generation per writer commit."""
    return whoosh_index.open_dir(app.config["INDEX_DIR"]).latest_generation()


def index_jobs() -> list[Job]:
    db.session.expire_all()
    return db.session.scalars(db.select(Job).where(Job.name == indexing.TASK).order_by(Job.id)).all()


def test_fifty_documents_queued_at_once_are_written_in_one_commit(app, people):
    """50 uploads, 50 queued jobs: one run writes them all with a single commit, and every one is found."""
    index_now(app)
    before = generation(app)
    ids = [make_document(people, f"批量文档{n:02d}", pages=[f"批量测试 编号{n:02d} 雪松"]) for n in range(50)]
    assert len([j for j in index_jobs() if j.state == "queued"]) >= 50

    assert jobs.run_pending(app, limit=1) == 1  # the first job takes the other 49 with it
    assert generation(app) == before + 1
    assert {j.state for j in index_jobs()} == {"done"}
    body = hits(app.test_client(), "雪松", headers=people.auth("staff"), per_page=50)
    assert body["total"] == 50 and keys(body) == {("document", i) for i in ids}


def test_a_single_upload_is_searchable_right_after_its_job(app, people):
    index_now(app)
    before = generation(app)
    doc_id = make_document(people, "单独上传的文档", pages=["独一份的内容 银杏"])
    assert jobs.run_pending(app, limit=1) == 1
    assert generation(app) == before + 1
    assert keys(hits(app.test_client(), "银杏", headers=people.auth("staff"))) == {("document", doc_id)}


def test_a_failing_record_fails_its_own_job_only_and_the_others_are_written(app, people):
    """A batch that cannot be written hands the others back; each is then written, the bad one fails alone."""
    kinds.register(kinds.Kind(POISON, Document, build=_poison_entries, url=lambda i, p: "/"))
    try:
        good = [make_document(people, f"好文档{n}", pages=["梧桐 可以索引"]) for n in range(3)]
        indexing.schedule(POISON, good[0])
        db.session.commit()
        good.append(make_document(people, "最后的好文档", pages=["梧桐 可以索引"]))
        jobs.run_pending(app)
        states = [j.state for j in index_jobs()]
        assert states.count("failed") == 1 and states.count("done") == len(states) - 1, states
        failed = next(j for j in index_jobs() if j.state == "failed")
        assert POISON in failed.kwargs and "cannot be indexed" in failed.error
        assert failed.attempts == 1  # batches that took it along and failed do not count against it
        body = hits(app.test_client(), "梧桐", headers=people.auth("staff"))
        assert keys(body) == {("document", i) for i in good}
    finally:
        kinds.KINDS.pop(POISON, None)


def test_a_batch_whose_process_died_before_the_commit_is_run_again(app, people):
    """Jobs a batch claimed stay unindexed and `running` under the dead process; recovery queues them again."""
    index_now(app)
    ids = [make_document(people, f"中断文档{n}", pages=["白桦 中断恢复"]) for n in range(5)]
    child = (
        "import os, sys\n"
        "from hub import create_app\n"
        "from hub.search import batching, indexing\n"
        "app = create_app({'TESTING': True, 'SECRET_KEY': 'x', 'INSTANCE_DIR': sys.argv[1],"
        " 'UPLOAD_DIR': sys.argv[2], 'INDEX_DIR': sys.argv[3], 'SQLALCHEMY_DATABASE_URI': sys.argv[4],"
        " 'RATELIMIT_STORAGE_URI': 'memory://'})\n"
        "with app.app_context():\n"
        "    marker, claimed, items = batching.claim(indexing.TASK)\n"
        "    assert len(claimed) == 5, claimed\n"
        "    os._exit(9)  # killed before the writer commits\n"
    )
    config = app.config
    done = subprocess.run(
        [sys.executable, "-c", child, config["INSTANCE_DIR"], config["UPLOAD_DIR"], config["INDEX_DIR"],
         str(db.engine.url.render_as_string(hide_password=False))],
        cwd=os.path.dirname(os.path.dirname(__file__)), capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 9, done.stderr
    assert [j.state for j in index_jobs() if j.state != "done"] == ["running"] * 5
    assert hits(app.test_client(), "白桦", headers=people.auth("staff"))["total"] == 0

    index_now(app)  # run_pending recovers the dead process's jobs first
    assert {j.state for j in index_jobs()} == {"done"}
    assert keys(hits(app.test_client(), "白桦", headers=people.auth("staff"))) == {("document", i) for i in ids}

