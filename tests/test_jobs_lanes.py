"""Job lanes: search indexing has a worker of its own in each process, so a record is findable while
a long preview still holds the main worker, and index jobs never take the main worker's turn."""

import threading
import time

from hub import jobs
from hub.extensions import db
from hub.models import Job
from hub.search import indexing
from tests.search_helpers import hits, keys, make_document

HELD = threading.Event()  # a long main-lane job (a big preview, say) runs until this is set
STARTED = threading.Event()


def hold_the_main_worker():
    STARTED.set()
    HELD.wait(60)


jobs.register_task("tests.hold", hold_the_main_worker, priority=1)


def _state(job_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Job, job_id).state


def test_a_record_is_findable_while_the_main_worker_is_busy(app, client, people):
    """The index lane's own thread indexes the new record; the long job is still running when it is found."""
    HELD.clear()
    STARTED.clear()
    jobs.start_worker(app)
    try:
        held = jobs.enqueue("tests.hold")
        db.session.commit()
        assert STARTED.wait(15), "the main worker never started the long job"
        doc_id = make_document(people, "防爆叉车选型指南", pages=["防爆叉车 的 选型 要点"])
        deadline = time.monotonic() + 15
        found = set()
        while time.monotonic() < deadline and ("document", doc_id) not in found:
            found = keys(hits(client, "防爆叉车", people.auth("staff")))
            time.sleep(0.05)
        assert ("document", doc_id) in found
        assert _state(held) == "running"  # indexed beside it, not after it
    finally:
        HELD.set()
        jobs.stop_worker(app)


def test_each_lane_claims_only_its_own_jobs(app):
    """The main lane leaves index jobs to the index lane; a worker of no lane (tests, --once) takes all."""
    index_job = jobs.enqueue(indexing.TASK, items=[])
    db.session.commit()
    assert jobs.Worker(app, "").claim_next() is None
    assert jobs.Worker(app, "index").claim_next() == index_job
    other = jobs.enqueue("tests.hold", priority=9)
    db.session.commit()
    assert jobs.Worker(app, "index").claim_next() is None
    HELD.set()
    assert jobs.Worker(app).claim_next() == other


def test_wake_ups_go_to_the_lane_of_each_job(app):
    """Embedded: committing an index job wakes the index lane's worker, not the main one (and back)."""
    state = jobs.state_of(app)
    main, lane = jobs.Worker(app, ""), jobs.Worker(app, "index")
    state.worker, state.lane_workers = main, {"index": lane}
    try:
        jobs.enqueue(indexing.TASK, items=[])
        db.session.commit()
        assert lane.wake.is_set() and not main.wake.is_set()
        lane.wake.clear()
        jobs.enqueue("tests.hold", priority=9)
        db.session.commit()
        assert main.wake.is_set() and not lane.wake.is_set()
    finally:
        state.worker, state.lane_workers = None, {}
