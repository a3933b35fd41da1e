"""The job worker: claims jobs from the table, runs them, beats, and re-queues the jobs of dead workers.

Internal to hub.jobs (import the API from there). Claims are a compare-and-set UPDATE, so any number
of workers, threads or processes, on any host, may share one table.

A task may run in a lane of its own: each running process then has one more worker thread that takes
only that lane's jobs, while its main worker takes all the others. Search indexing has one, so a record
is findable seconds after its preview, not after every preview queued behind it, and its short writes
never push a preview back.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import select, update

from .extensions import db
from .models import Job, utcnow

log = logging.getLogger("hub.jobs")

POLL_SECONDS = 2.0
HEARTBEAT_SECONDS = 5.0
STALE_AFTER = timedelta(seconds=60)
REDIS_KEY = "hub:jobs:wake"
LANE_GATHER_SECONDS = 0.2  # a lane worker, once woken, lets a burst of its jobs gather into one run
HOST = socket.gethostname()


@dataclass
class Task:
    name: str
    func: Callable
    priority: int
    max_attempts: int
    lane: str = ""  # "" is the main lane


REGISTRY: dict[str, Task] = {}
RECOVERY_HOOKS: list[Callable[[], None]] = []  # run in an app context when a worker starts
PERIODIC_HOOKS: list[tuple[float, Callable[[], None]]] = []  # (every N seconds, hook), in an app context
EXIT_HOOKS: list[Callable[[], None]] = []  # run when a `flask worker` process stops


class Worker:
    """Claims jobs from the table (compare-and-set, so any number of workers may run) and runs them."""

    def __init__(self, app: Flask, lane: str | None = None):
        self.app = app
        self.id = f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lane = lane  # None: every job (tests, `worker --once`); "": the main lane; else that lane only
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.current: int | None = None
        self.thread: threading.Thread | None = None

    def _mine(self):
        """The claim's condition on the task name, for this worker's lane."""
        if self.lane is None:
            return None
        if self.lane:
            return Job.name.in_(sorted(t.name for t in REGISTRY.values() if t.lane == self.lane))
        return Job.name.not_in(sorted(t.name for t in REGISTRY.values() if t.lane))

    @property
    def redis_key(self) -> str:
        return lane_key(self.lane or "")

    # --- claiming and running ------------------------------------------------------------------

    def claim_next(self) -> int | None:
        """Mark the most urgent queued job as ours and return its id (None when the queue is empty)."""
        with self.app.app_context():
            query = select(Job.id).where(Job.state == "queued")
            mine = self._mine()
            if mine is not None:
                query = query.where(mine)
            candidates = db.session.scalars(query.order_by(Job.priority, Job.id).limit(5)).all()
            for job_id in candidates:
                now = utcnow()
                claimed = db.session.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.state == "queued")
                    .values(state="running", worker=self.id, attempts=Job.attempts + 1, started_at=now, heartbeat_at=now)
                )
                db.session.commit()
                if claimed.rowcount == 1:
                    return job_id
        return None

    def run(self, job_id: int) -> bool:
        """Run one claimed job; record done or failed. One job's failure never reaches the others."""
        self.current = job_id
        try:
            with self.app.app_context():
                job = db.session.get(Job, job_id)
                spec = REGISTRY.get(job.name)
                kwargs = json.loads(job.kwargs or "{}")
                db.session.commit()
                try:
                    if spec is None:
                        raise LookupError(f"no task named {job.name!r} in this process")
                    spec.func(**kwargs)
                except Exception as exc:  # noqa: BLE001 - any task error becomes the job's recorded failure
                    db.session.rollback()
                    log.exception("job %s (%s) failed", job_id, job.name)
                    self._finish(job_id, "failed", f"{type(exc).__name__}: {exc}"[:2000])
                    return False
                self._finish(job_id, "done", None)
                return True
        finally:
            self.current = None

    def _finish(self, job_id: int, state: str, error: str | None) -> None:
        db.session.execute(
            update(Job).where(Job.id == job_id).values(state=state, error=error, finished_at=utcnow())
        )
        db.session.commit()

    def run_pending(self, limit: int | None = None) -> int:
        """Run queued jobs (including those they enqueue) until none is left; return how many ran."""
        count = 0
        while limit is None or count < limit:
            job_id = self.claim_next()
            if job_id is None:
                break
            self.run(job_id)
            count += 1
        return count

    # --- crash recovery and liveness -----------------------------------------------------------

    def recover(self, startup: bool = False) -> int:
        """Queue again the jobs whose worker died; fail those that have used up their attempts.

        At startup also run the areas' recovery hooks (clean-ups after a crash).
        """
        with self.app.app_context():
            stale_before = utcnow() - STALE_AFTER
            running = db.session.scalars(select(Job).where(Job.state == "running")).all()
            count = 0
            for job in running:
                if job.worker == self.id:
                    continue
                if not (_dead_here(job.worker) or (job.heartbeat_at or job.started_at) < stale_before):
                    continue
                if job.attempts >= job.max_attempts:
                    job.state, job.finished_at = "failed", utcnow()
                    job.error = "interrupted too often (the worker stopped while running it)"
                else:
                    job.state, job.worker = "queued", None
                    count += 1
            db.session.commit()
            for hook in RECOVERY_HOOKS if startup else ():
                hook()  # areas clean up what a crash left behind (documents: orphan files)
        if count:
            log.warning("re-queued %d interrupted job(s)", count)
        return count

    def beat(self) -> None:
        """Record that the job in hand is still alive."""
        job_id = self.current
        if job_id is None:
            return
        with self.app.app_context():
            db.session.execute(update(Job).where(Job.id == job_id, Job.worker == self.id).values(heartbeat_at=utcnow()))
            db.session.commit()

    def _heartbeat_loop(self) -> None:
        while not self.stopping.wait(HEARTBEAT_SECONDS):
            try:
                self.beat()
            except Exception:  # noqa: BLE001 - a missed beat is retried; the worker must not die of it
                log.exception("heartbeat failed")

    # --- loops ---------------------------------------------------------------------------------

    def _guarded(self, step: Callable) -> None:
        try:
            step()
        except Exception:  # noqa: BLE001 - e.g. the database is briefly unreachable: wait and go on
            log.exception("worker step failed; retrying shortly")
            self.stopping.wait(POLL_SECONDS)

    def loop(self, redis_client=None) -> None:
        """Run jobs until stopped: woken by the event (embedded) or a Redis pop, polling as a fallback.

        The main worker (lane None or "") also recovers dead workers' jobs and runs the periodic hooks;
        a lane worker only runs its jobs, letting each burst gather for LANE_GATHER_SECONDS first.
        """
        threading.Thread(target=self._heartbeat_loop, name="hub-jobs-heartbeat", daemon=True).start()
        main = not self.lane
        if main:
            self._guarded(lambda: self.recover(startup=True))
        last_recover = time.monotonic()
        last_periodic: dict[Callable, float] = {}
        while not self.stopping.is_set():
            self._guarded(self.run_pending)
            if main and time.monotonic() - last_recover > STALE_AFTER.total_seconds() / 2:
                self._guarded(self.recover)
                last_recover = time.monotonic()
            for seconds, hook in PERIODIC_HOOKS if main else ():
                if time.monotonic() - last_periodic.get(hook, 0.0) >= seconds:
                    last_periodic[hook] = time.monotonic()
                    self._guarded(lambda hook=hook: self._in_context(hook))
            if self._wait(redis_client) and not main:
                self.stopping.wait(LANE_GATHER_SECONDS)

    def _wait(self, redis_client) -> bool:
        """Sleep until woken for a new job (True) or POLL_SECONDS pass (False)."""
        if redis_client is None:
            woken = self.wake.wait(POLL_SECONDS)
            self.wake.clear()
            return woken
        try:
            return redis_client.brpop([self.redis_key], timeout=int(POLL_SECONDS)) is not None
        except Exception:  # noqa: BLE001 - Redis away for a moment: the table poll carries on
            log.exception("waiting on Redis failed; polling the table")
            self.stopping.wait(POLL_SECONDS)
            return False

    def _in_context(self, hook: Callable[[], None]) -> None:
        with self.app.app_context():
            hook()

    def start(self, redis_client=None) -> None:
        name = f"hub-jobs-{self.lane}" if self.lane else "hub-jobs"
        self.thread = threading.Thread(target=self.loop, args=(redis_client,), name=name, daemon=True)
        self.thread.start()

    def stop(self, timeout: float = 10) -> None:
        self.stopping.set()
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout)


def lane_key(lane: str) -> str:
    """The Redis list that wakes a lane's workers (the main lane keeps the original key)."""
    return f"{REDIS_KEY}:{lane}" if lane else REDIS_KEY


def lanes() -> list[str]:
    """The lanes other than the main one that registered tasks ask for."""
    return sorted({t.lane for t in REGISTRY.values() if t.lane})


def _dead_here(worker_id: str | None) -> bool:
    """True when the worker ran on this host and its process is gone."""
    if not worker_id:
        return True
    parts = worker_id.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != HOST:
        return False
    try:
        pid = int(parts[1])
    except ValueError:
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
