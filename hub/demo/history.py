"""Demo history: rows the services stamp with the load minute are moved back to when they "happened".

The services take no time, so `at(when)` wraps a call: every row of the stamped tables written inside it
gets `when` afterwards, before the loader's next commit. Loaders write in time order (the oldest first),
so ids still grow with time; feed clients resume by id.
"""

from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import func, inspect, select, update

from ..extensions import db
from ..models import (
    Announcement,
    Answer,
    Assessment,
    Comment,
    FeedEvent,
    Notification,
    PortalMessage,
    PortalReply,
    PortalRequest,
    Post,
    Question,
    Rating,
    Share,
    utcnow,
)

# Tables whose rows a demo service call writes; those with updated_at get it too (it "last changed" then).
STAMPED = (FeedEvent, Notification, Assessment, Comment, Rating, Question, Answer, Post, PortalMessage,
           PortalReply, PortalRequest, Announcement, Share)


def ago(days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
    """A moment before now, rounded to the minute (demo history reads like people's working hours)."""
    when = utcnow() - timedelta(days=days, hours=hours, minutes=minutes)
    return when.replace(second=0, microsecond=0)


def _key(model):
    return inspect(model).primary_key[0]


@contextmanager
def at(when: datetime):
    """Stamp whatever the wrapped service calls write with `when` (created_at, and updated_at if any)."""
    marks = {model: db.session.scalar(select(func.max(_key(model)))) or 0 for model in STAMPED}
    yield
    db.session.flush()
    for model, mark in marks.items():
        values = {"created_at": when}
        if "updated_at" in model.__table__.c:
            values["updated_at"] = when
        db.session.execute(update(model).where(_key(model) > mark).values(**values)
                           .execution_options(synchronize_session=False))
    db.session.expire_all()
