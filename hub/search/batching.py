"""One index job writes for all: the running `search.index` job takes the other queued ones with it.

Every commit that touches searchable data queues its own small job, so a bulk upload queues hundreds; one
writer commit per job would take Whoosh half a minute. The job that runs first claims the others (the same
compare-and-set claim as the worker's), writes all their records with one writer commit, and only then
marks them done. A process killed half-way leaves them `running` under a worker id naming this process,
so the worker's recovery queues them again; a write that fails hands them back to the queue untouched,
and the running job retries its own records alone (so one bad record cannot sink the others).
"""

from __future__ import annotations

import json
import logging
import os
import uuid

from sqlalchemy import select, update

from ..extensions import db
from ..jobs import HOST
from ..models import Job, utcnow

log = logging.getLogger("hub.search")

MAX_JOBS = 2000  # claimed per batch: the rest waits for the next run, so memory stays bounded


def claim(task: str) -> tuple[str, list[int], list]:
    """Claim the queued jobs of `task`; return the claim's worker id, their ids and their items."""
    marker = f"{HOST}:{os.getpid()}:batch-{uuid.uuid4().hex[:8]}"
    ids = db.session.scalars(
        select(Job.id).where(Job.name == task, Job.state == "queued").order_by(Job.id).limit(MAX_JOBS)
    ).all()
    if not ids:
        db.session.commit()
        return marker, [], []
    now = utcnow()
    db.session.execute(
        update(Job).where(Job.id.in_(ids), Job.state == "queued")
        .values(state="running", worker=marker, attempts=Job.attempts + 1, started_at=now, heartbeat_at=now)
    )
    db.session.commit()
    rows = db.session.execute(
        select(Job.id, Job.kwargs).where(Job.worker == marker, Job.state == "running").order_by(Job.id)
    ).all()
    items: list = []
    for _job_id, kwargs in rows:
        items += json.loads(kwargs or "{}").get("items", [])
    return marker, [r.id for r in rows], items


def finish(marker: str, ids: list[int]) -> None:
    """The batch is committed to the index: its claimed jobs are done."""
    if ids:
        db.session.execute(
            update(Job).where(Job.id.in_(ids), Job.worker == marker, Job.state == "running")
            .values(state="done", error=None, finished_at=utcnow())
        )
        db.session.commit()


def release(marker: str, ids: list[int]) -> None:
    """The batch write failed: queue the claimed jobs again, not counting the attempt against them."""
    db.session.rollback()
    if ids:
        db.session.execute(
            update(Job).where(Job.id.in_(ids), Job.worker == marker, Job.state == "running")
            .values(state="queued", worker=None, attempts=Job.attempts - 1)
        )
        db.session.commit()
        log.warning("search: batched write of %d queued job(s) failed; they wait for their own run", len(ids))
