"""The job queue: transactional enqueue, priorities, isolation of failures, crash recovery, timeouts."""

import subprocess
import sys
import time
from datetime import timedelta

import pytest

from hub import jobs
from hub.extensions import db
from hub.models import Job, utcnow

CALLS: list = []


def record(value):
    CALLS.append(value)


def urgent(value):
    CALLS.append(("urgent", value))


def explode():
    raise RuntimeError("boom")


jobs.register_task("tests.record", record, priority=5)
jobs.register_task("tests.urgent", urgent, priority=1)
jobs.register_task("tests.explode", explode)


@pytest.fixture(autouse=True)
def fresh_calls():
    CALLS.clear()
    yield
    CALLS.clear()


def states(name=None) -> list[str]:
    db.session.expire_all()
    query = db.select(Job).order_by(Job.id)
    if name:
        query = query.where(Job.name == name)
    return [j.state for j in db.session.scalars(query)]


def test_enqueue_belongs_to_the_callers_transaction(app):
    """A rolled-back enqueue never runs; a committed one runs with its arguments."""
    jobs.enqueue("tests.record", value="dropped")
    db.session.rollback()
    job_id = jobs.enqueue("tests.record", value="kept")
    db.session.commit()
    assert jobs.run_pending(app) == 1
    assert CALLS == ["kept"]
    assert db.session.get(Job, job_id).state == "done"


def test_unknown_task_names_are_refused_at_enqueue(app):
    """Enqueueing a name nobody registered fails at once, not later in a worker."""
    with pytest.raises(KeyError):
        jobs.enqueue("tests.nobody")


def test_lower_priority_numbers_run_first(app):
    """Urgent jobs overtake earlier ordinary ones; equal priorities keep their order."""
    jobs.enqueue("tests.record", value=1)
    jobs.enqueue("tests.record", value=2)
    jobs.enqueue("tests.urgent", value=3)
    db.session.commit()
    jobs.run_pending(app)
    assert CALLS == [("urgent", 3), 1, 2]


def test_a_failing_job_is_recorded_and_the_others_run(app):
    """An exception fails that job with its message; the queue goes on."""
    jobs.enqueue("tests.explode")
    jobs.enqueue("tests.record", value="after")
    db.session.commit()
    assert jobs.run_pending(app) == 2
    failed = db.session.scalar(db.select(Job).where(Job.name == "tests.explode"))
    assert failed.state == "failed" and "boom" in failed.error
    assert CALLS == ["after"]


def test_jobs_of_a_dead_worker_run_again(app):
    """A job left `running` by a process that died is queued again and runs."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    job_id = jobs.enqueue("tests.record", value="again")
    db.session.commit()
    job = db.session.get(Job, job_id)
    job.state, job.worker, job.attempts, job.heartbeat_at = "running", f"{jobs.HOST}:{dead.pid}:abcd", 1, utcnow()
    db.session.commit()
    assert jobs.run_pending(app) == 1
    assert CALLS == ["again"]
    assert db.session.get(Job, job_id).attempts == 2


def test_silent_workers_elsewhere_are_presumed_dead_and_retries_are_bounded(app):
    """A job whose heartbeat stopped long ago is re-queued; one out of attempts ends `failed`."""
    stale = utcnow() - jobs.STALE_AFTER - timedelta(seconds=5)
    retried = jobs.enqueue("tests.record", value="stale")
    exhausted = jobs.enqueue("tests.record", value="never")
    fresh = jobs.enqueue("tests.record", value="busy elsewhere")
    db.session.commit()
    for job_id, attempts, beat in ((retried, 1, stale), (exhausted, 3, stale), (fresh, 1, utcnow())):
        job = db.session.get(Job, job_id)
        job.state, job.worker, job.attempts, job.heartbeat_at = "running", "otherhost:1:x", attempts, beat
    db.session.commit()
    jobs.run_pending(app)
    assert CALLS == ["stale"]
    assert states("tests.record") == ["done", "failed", "running"]


def test_the_embedded_worker_thread_runs_committed_jobs(app):
    """The real worker thread picks a committed job up without any explicit call."""
    worker = jobs.start_worker(app)
    try:
        jobs.enqueue("tests.record", value="threaded")
        db.session.commit()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and CALLS != ["threaded"]:
            time.sleep(0.05)
        assert CALLS == ["threaded"]
        assert worker.thread.is_alive()
    finally:
        jobs.stop_worker(app)


def test_run_program_kills_the_whole_process_group_on_timeout(tmp_path):
    """A program past its timeout is killed with its children; the caller gets a ProgramError."""
    pid_file = tmp_path / "child.pid"
    script = f"sleep 30 & echo $! > {pid_file}; wait"
    started = time.monotonic()
    with pytest.raises(jobs.ProgramError):
        jobs.run_program(["sh", "-c", script], timeout=0.5)
    assert time.monotonic() - started < 10
    child = int(pid_file.read_text())
    time.sleep(0.1)
    assert not alive(child)


def alive(pid: int) -> bool:
    """True for a running process; a killed child waiting to be reaped (zombie) counts as dead."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
