"""Background jobs: one queue API, an in-process worker by default, Redis-woken workers when configured.

The contract for every area:
- An area's init_app calls `register_task("area.name", func, priority=5, max_attempts=3)`; the function
  is called with the job's keyword arguments (JSON values) inside a fresh app context and commits its
  own work. `register_recovery`, `register_periodic` and `register_exit` add worker hooks the same way.
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
import subprocess
import threading
from collections.abc import Callable

import click
from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from .extensions import db
from .jobs_worker import (  # noqa: F401
    EXIT_HOOKS,
    HOST,
    PERIODIC_HOOKS,
    POLL_SECONDS,
    RECOVERY_HOOKS,
    REDIS_KEY,
    REGISTRY,
    STALE_AFTER,
    Task,
    Worker,
    lane_key,
    lanes,
)
from .models import Job

log = logging.getLogger("hub.jobs")


def register_task(name: str, func: Callable, priority: int = 5, max_attempts: int = 3, lane: str = "") -> None:
    """Make `func` the task `name` (lower priority numbers run first); an area calls this from init_app.

    A `lane` other than "" gives the task a worker thread of its own in every worker process.
    """
    REGISTRY[name] = Task(name, func, priority, max_attempts, lane)


def register_recovery(func: Callable[[], None]) -> None:
    """Have each worker run this clean-up when it starts (after a crash, say)."""
    if func not in RECOVERY_HOOKS:
        RECOVERY_HOOKS.append(func)


def register_periodic(seconds: float, func: Callable[[], None]) -> None:
    """Have each running worker perform this light check every `seconds` (e.g. share expiry)."""
    if all(f is not func for _, f in PERIODIC_HOOKS):
        PERIODIC_HOOKS.append((seconds, func))


def register_exit(func: Callable[[], None]) -> None:
    """Have a stopping `flask worker` process run this clean-up (e.g. end a LibreOffice it started)."""
    if func not in EXIT_HOOKS:
        EXIT_HOOKS.append(func)


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
    db.session.info.setdefault("hub_jobs_pending", []).append((job.id, spec.lane))
    return job.id


def _wake_after_commit(session: Session) -> None:
    pending = session.info.pop("hub_jobs_pending", None)
    if pending:
        try:
            notify(current_app._get_current_object(), pending)
        except Exception:  # noqa: BLE001 - the jobs are committed; the poll picks them up anyway
            log.exception("could not wake workers for jobs %s", pending)


def _forget_after_rollback(session: Session) -> None:
    session.info.pop("hub_jobs_pending", None)


def notify(app: Flask, pending: list[tuple[int, str]]) -> None:
    """Wake a worker of the right lane for each committed (job id, lane): a Redis push, or the embedded
    worker's event."""
    state = app.extensions.get("hub_jobs")
    if state is None:
        return
    by_lane: dict[str, list[int]] = {}
    for job_id, lane in pending:
        by_lane.setdefault(lane, []).append(job_id)
    for lane, ids in by_lane.items():
        if app.config.get("REDIS_URL"):
            state.redis().lpush(lane_key(lane), *ids)
        else:
            worker = state.lane_workers.get(lane) if lane else state.worker
            if worker is not None:
                worker.wake.set()


# Workers are woken after the commit that makes their jobs real; a rollback forgets them.
SESSION_HOOKS = (("after_commit", _wake_after_commit), ("after_rollback", _forget_after_rollback))


class State:
    """Per-app queue state: the embedded worker (if started) and a Redis client (if configured)."""

    def __init__(self, app: Flask):
        self.app = app
        self.worker: Worker | None = None
        self.lane_workers: dict[str, Worker] = {}  # beside the main one: lane -> its worker
        self._redis = None
        self.lock = threading.Lock()

    def redis(self):
        if self._redis is None:
            self._redis = self.fresh_redis()
        return self._redis

    def fresh_redis(self):
        """A new Redis client (None without REDIS_URL)."""
        if not self.app.config.get("REDIS_URL"):
            return None
        import redis

        return redis.Redis.from_url(self.app.config["REDIS_URL"])


# --- app wiring --------------------------------------------------------------------------------


def state_of(app: Flask) -> State:
    return app.extensions["hub_jobs"]


def start_worker(app: Flask) -> Worker:
    """Start the embedded worker threads for `app` (once): the main lane's, and one per other lane."""
    state = state_of(app)
    with state.lock:
        if state.worker is None:
            for lane in lanes():
                state.lane_workers[lane] = Worker(app, lane)
                state.lane_workers[lane].start()
            state.worker = Worker(app, "" if state.lane_workers else None)
            state.worker.start()
            log.info("embedded job worker %s started (lanes: %s)", state.worker.id, ", ".join(state.lane_workers) or "-")
    return state.worker


def stop_worker(app: Flask) -> None:
    state = state_of(app)
    for worker in [*state.lane_workers.values(), state.worker]:
        if worker is not None:
            worker.stop()
    state.worker, state.lane_workers = None, {}


def run_pending(app: Flask, limit: int | None = None) -> int:
    """Run every queued job now, in this thread, with the real task code; return how many ran."""
    worker = Worker(app)
    worker.recover()
    return worker.run_pending(limit)


def init_app(app: Flask) -> None:
    """Set up the queue and `flask worker`; the embedded worker starts with the first request (not for CLI).

    Nothing starts in TESTING mode unless JOBS_EMBEDDED_WORKER is true, nor when REDIS_URL is set
    (then `flask worker` processes run the jobs).
    """
    app.extensions["hub_jobs"] = State(app)
    app.cli.add_command(worker_command)
    for name, hook in SESSION_HOOKS:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
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
    if once:
        worker = Worker(app)
        worker.recover(startup=True)
        click.echo(f"ran {worker.run_pending()} job(s)")
        return
    worker = Worker(app, "" if lanes() else None)
    state = state_of(app)
    side = [Worker(app, lane) for lane in lanes()]
    for lane_worker in side:
        lane_worker.start(state.fresh_redis())  # a client of its own: a blocking pop holds its connection
    client = state.redis() if app.config.get("REDIS_URL") else None
    click.echo(f"worker {worker.id} running ({'redis' if client else 'database polling'}; "
               f"lanes: {', '.join(lanes()) or '-'}); Ctrl-C stops")

    def _stop(*_args) -> None:
        for w in (worker, *side):
            w.stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    try:
        worker.loop(redis_client=client)
    except KeyboardInterrupt:
        _stop()
    finally:
        for lane_worker in side:
            lane_worker.stop()
        for hook in EXIT_HOOKS:
            hook()
