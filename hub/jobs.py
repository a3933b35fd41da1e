"""Background jobs: one queue API, an in-process worker by default, Redis-woken workers when configured.

The contract for every area:
- `@task("area.name", priority=5, max_attempts=3)` registers a function; it is called with the job's
  keyword arguments (JSON values) inside a fresh app context and commits its own work.
- `enqueue(name, **kwargs)` adds the job row to the caller's current transaction and returns its id.
  The job exists only once the caller commits (atomic with the caller's data: no job without data, no
  data without its job); a rollback discards it. Workers are woken right after that commit.
- A database row is the record of each job, in both modes. A job claimed by a worker that died (no
  heartbeat for STALE_AFTER seconds, or a dead pid on this host) is queued again, up to max_attempts.
- Embedded (default): a daemon thread started on the first request or by `start_worker(app)` polls the
  table and is woken by an event. With REDIS_URL: each commit LPUSHes the job id to a Redis list; every
  `flask worker` process BRPOPs it (one idle worker wakes per job, within milliseconds, across hosts)
  and claims jobs from the table in priority order. Redis carries wake-ups only, so a flushed Redis
  loses nothing: workers also poll the table every POLL_SECONDS.
- Tests call `run_pending(app)`, which runs queued jobs synchronously with the real code.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import click
from flask import Flask, current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from .extensions import db
from .models import Job, utcnow

log = logging.getLogger("hub.jobs")

POLL_SECONDS = 2.0
HEARTBEAT_SECONDS = 5.0
STALE_AFTER = timedelta(seconds=60)
REDIS_KEY = "hub:jobs:wake"
HOST = socket.gethostname()


@dataclass
class Task:
    name: str
    func: Callable
    priority: int
    max_attempts: int


REGISTRY: dict[str, Task] = {}


def task(name: str, priority: int = 5, max_attempts: int = 3) -> Callable:
    """Register the decorated function as the task `name` (lower priority numbers run first)."""

    def register(func: Callable) -> Callable:
        REGISTRY[name] = Task(name, func, priority, max_attempts)
        return func

    return register


def is_registered(name: str) -> bool:
    return name in REGISTRY


def enqueue(name: str, priority: int | None = None, **kwargs) -> int:
    """Add a job to the current transaction and return its id; it runs after the caller commits."""
    spec = REGISTRY.get(name)
    if spec is None:
        raise KeyError(f"no task named {name!r}")
    job = Job(
        name=name,
        kwargs=json.dumps(kwargs, ensure_ascii=False),
        priority=spec.priority if priority is None else priority,
        max_attempts=spec.max_attempts,
    )
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault("hub_jobs_pending", []).append(job.id)
    return job.id


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    pending = session.info.pop("hub_jobs_pending", None)
    if pending:
        try:
            notify(current_app._get_current_object(), pending)
        except Exception:  # noqa: BLE001 - the jobs are committed; the poll picks them up anyway
            log.exception("could not wake workers for jobs %s", pending)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("hub_jobs_pending", None)


def notify(app: Flask, job_ids: list[int]) -> None:
    """Wake a worker for each committed job: a Redis push, or the embedded worker's event."""
    state = app.extensions.get("hub_jobs")
    if state is None:
        return
    if app.config.get("REDIS_URL"):
        state.redis().lpush(REDIS_KEY, *job_ids)
    elif state.worker is not None:
        state.worker.wake.set()


class State:
    """Per-app queue state: the embedded worker (if started) and a Redis client (if configured)."""

    def __init__(self, app: Flask):
        self.app = app
        self.worker: Worker | None = None
        self._redis = None
        self.lock = threading.Lock()

    def redis(self):
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(self.app.config["REDIS_URL"])
        return self._redis


class Worker:
    """Claims jobs from the table (compare-and-set, so any number of workers may run) and runs them."""

    def __init__(self, app: Flask):
        self.app = app
        self.id = f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.current: int | None = None
        self.thread: threading.Thread | None = None

    # --- claiming and running ------------------------------------------------------------------

    def claim_next(self) -> int | None:
        """Mark the most urgent queued job as ours and return its id (None when the queue is empty)."""
        with self.app.app_context():
            candidates = db.session.scalars(
                select(Job.id).where(Job.state == "queued").order_by(Job.priority, Job.id).limit(5)
            ).all()
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

    def recover(self) -> int:
        """Queue again the jobs whose worker died; fail those that have used up their attempts."""
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
        """Run jobs until stopped: woken by the event (embedded) or a Redis pop, polling as a fallback."""
        threading.Thread(target=self._heartbeat_loop, name="hub-jobs-heartbeat", daemon=True).start()
        self._guarded(self.recover)
        last_recover = time.monotonic()
        while not self.stopping.is_set():
            self._guarded(self.run_pending)
            if time.monotonic() - last_recover > STALE_AFTER.total_seconds() / 2:
                self._guarded(self.recover)
                last_recover = time.monotonic()
            if redis_client is not None:
                self._guarded(lambda: redis_client.brpop([REDIS_KEY], timeout=int(POLL_SECONDS)))
            else:
                self.wake.wait(POLL_SECONDS)
                self.wake.clear()

    def start(self) -> None:
        self.thread = threading.Thread(target=self.loop, name="hub-jobs", daemon=True)
        self.thread.start()

    def stop(self, timeout: float = 10) -> None:
        self.stopping.set()
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout)


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


# --- app wiring --------------------------------------------------------------------------------


def state_of(app: Flask) -> State:
    return app.extensions["hub_jobs"]


def start_worker(app: Flask) -> Worker:
    """Start the embedded worker thread for `app` (once)."""
    state = state_of(app)
    with state.lock:
        if state.worker is None:
            state.worker = Worker(app)
            state.worker.start()
            log.info("embedded job worker %s started", state.worker.id)
    return state.worker


def stop_worker(app: Flask) -> None:
    state = state_of(app)
    if state.worker is not None:
        state.worker.stop()
        state.worker = None


def run_pending(app: Flask, limit: int | None = None) -> int:
    """Run every queued job now, in this thread, with the real task code; return how many ran."""
    worker = Worker(app)
    worker.recover()
    return worker.run_pending(limit)


def init_app(app: Flask) -> None:
    """Set up the queue; the embedded worker starts with the first request (never for CLI commands).

    Nothing starts in TESTING mode unless JOBS_EMBEDDED_WORKER is true, nor when REDIS_URL is set
    (then `flask worker` processes run the jobs).
    """
    app.extensions["hub_jobs"] = State(app)
    app.config.setdefault("JOBS_EMBEDDED_WORKER", not app.config.get("TESTING"))
    if app.config.get("REDIS_URL") or not app.config["JOBS_EMBEDDED_WORKER"]:
        return

    @app.before_request
    def _ensure_worker():
        if state_of(app).worker is None:
            start_worker(app)


# --- external programs -------------------------------------------------------------------------


class ProgramError(RuntimeError):
    """An external program failed or ran past its timeout (it was killed)."""


def run_program(args: list[str], timeout: float, **kwargs) -> subprocess.CompletedProcess:
    """Run a program in its own process group; on timeout kill the whole group, so no child lingers."""
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, **kwargs
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ProgramError(f"{os.path.basename(args[0])} did not finish within {timeout:g} s and was stopped") from None
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


# --- the `flask worker` command ----------------------------------------------------------------


@click.command("worker")
@click.option("--once", is_flag=True, help="Run the queued jobs, then exit.")
def worker_command(once: bool) -> None:
    """Run background jobs in this process (woken through Redis when HUB_REDIS_URL is set)."""
    app = current_app._get_current_object()
    worker = Worker(app)
    if once:
        worker.recover()
        click.echo(f"ran {worker.run_pending()} job(s)")
        return
    client = state_of(app).redis() if app.config.get("REDIS_URL") else None
    click.echo(f"worker {worker.id} running ({'redis' if client else 'database polling'}); Ctrl-C stops")
    signal.signal(signal.SIGTERM, lambda *_: worker.stopping.set())
    try:
        worker.loop(redis_client=client)
    except KeyboardInterrupt:
        worker.stopping.set()


def register_cli(app: Flask) -> None:
    """Add `flask worker` (the lead calls this from hub/cli.py)."""
    app.cli.add_command(worker_command)
