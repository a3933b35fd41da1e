"""Demo data: 云帆科技, a fictional software vendor with four product departments, its people and customers.

`load()` adds each part that is missing (company, knowledge, library, feeds, assessments, portal) through
the services a person's own actions use, and says whether it added anything; a second call adds nothing.
The library's preview and search jobs are queued; `flask demo load` runs them before it ends.
"""

import json
from contextlib import contextmanager

from flask import Flask, current_app, has_request_context
from sqlalchemy import delete, select, update

from .. import jobs
from ..extensions import db
from ..models import Job, User
from ..search import indexing
from .accounts import load_customer_feed
from .assessments import load_assessments
from .company import PASSWORD, load_company, load_knowledge, logins_text
from .company import user as _user
from .library import load_library
from .portal import load_portal

__all__ = ["PASSWORD", "User", "finish", "load", "load_assessments", "load_customer_feed", "load_portal", "logins_text",
           "_user"]

# In this order: the portal shares library documents; the feeds come before the library, so the first
# thing the sales owners hear about is their account, not a colleague's comment.
LOADERS = (load_company, load_knowledge, load_customer_feed, load_assessments, load_library, load_portal)


@contextmanager
def _request_context():
    """Services build links with url_for, which needs a request; the loader runs from the command line."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context("/"):
        yield


def load() -> bool:
    """Create whatever part of the demo is missing; return whether anything was created."""
    created = False
    with _request_context():
        for loader in LOADERS:
            created = loader() or created
    return created


def finish(app: Flask) -> int:
    """Run the jobs the load queued, here and now: previews first (they are the most urgent), then the
    search index in one pass; return how many jobs ran."""
    ran = 0
    while True:
        _merge_index_jobs()
        if not jobs.run_pending(app, limit=1):
            return ran
        ran += 1



def _merge_index_jobs() -> None:
    """Fold the queued indexing jobs into the oldest: every commit of the load queued its own small one,
    and one writer run for all of them takes a second where a hundred runs take half a minute."""
    rows = db.session.scalars(
        select(Job).where(Job.name == indexing.TASK, Job.state == "queued").order_by(Job.id)
    ).all()
    if len(rows) < 2:
        return
    merged: dict[tuple[str, int], str] = {}
    for row in rows:
        for kind, ident, op in json.loads(row.kwargs).get("items", []):
            merged[(kind, ident)] = "delete" if "delete" in (op, merged.get((kind, ident))) else op
    items = [[kind, ident, op] for (kind, ident), op in sorted(merged.items())]
    kept = db.session.execute(
        update(Job).where(Job.id == rows[0].id, Job.state == "queued")
        .values(kwargs=json.dumps({"items": items}, ensure_ascii=False))
    ).rowcount
    if kept:  # a worker elsewhere may have claimed it meanwhile: then leave every job as it is
        db.session.execute(delete(Job).where(Job.id.in_([r.id for r in rows[1:]]), Job.state == "queued"))
    db.session.commit()
