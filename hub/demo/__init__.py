"""Demo data: 云帆科技, a fictional software vendor with four product departments, its people and customers.

`load()` adds each part that is missing (company, knowledge, library, feeds, assessments, portal) through
the services a person's own actions use, and says whether it added anything; a second call adds nothing.
The library's preview and search jobs are queued; `flask demo load` runs them before it ends.
"""

from contextlib import contextmanager

from flask import Flask, current_app, has_request_context

from .. import jobs
from ..models import User
from .accounts import load_customer_feed
from .assessments import load_assessment_history, load_assessments
from .company import PASSWORD, load_company, load_knowledge, logins_text
from .company import user as _user
from .library import load_library
from .portal import load_portal

__all__ = ["PASSWORD", "User", "finish", "load", "load_assessments", "load_customer_feed", "load_portal", "logins_text",
           "_user"]

# In this order: the portal shares library documents; the feeds come before the library, so the first
# thing the sales owners hear about is their account, not a colleague's comment. Each part is written in
# time order (hub.demo.history), the oldest first: weeks-old assessments, the feed, the newest
# assessments, the portal's last days.
LOADERS = (load_company, load_knowledge, load_assessment_history, load_customer_feed, load_assessments,
           load_library, load_portal)


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
    search index (its first job takes all the others along, one writer commit); return how many ran."""
    return jobs.run_pending(app)
