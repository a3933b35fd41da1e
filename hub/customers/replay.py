"""The API's feed replay read without the ORM: event rows, then what they name, in one statement per table.

Hydrating hundreds of FeedEvent objects with seven relationships cost more than the rest of the request.
Here the rows stay plain and each event becomes an EventView: read-only, with the attribute names of
FeedEvent that `event_json` and `body_html` read, so one function words both (tests/test_feed_replay_views.py
compares the two answers event by event).
"""

from collections import namedtuple

from sqlalchemy import inspect, select

from ..extensions import db
from ..models import Department, Document, FeedEvent, User
from .events import REPLAY_LIMIT, replay_query

DepartmentView = namedtuple("DepartmentView", "id name")
DocumentView = namedtuple("DocumentView", "id title")
ParentView = namedtuple("ParentView", "id kind status")

_COLUMNS = tuple(attr.key for attr in inspect(FeedEvent).column_attrs)
_PEOPLE = ("author", "assignee", "to_user", "closed_by")  # each through <name>_id


class UserView:
    """A person as an event shows them, and as policy.can_mention asks about them."""

    __slots__ = ("id", "name", "active", "role")

    # User's own rules (flask_login's is_authenticated reads is_active), so the two cannot drift
    is_active, is_authenticated, is_staff = User.is_active, User.is_authenticated, User.is_staff

    def __init__(self, id, name, active, role):
        self.id, self.name, self.active, self.role = id, name, active, role


class EventView:
    """One replayed event: its columns plus author, assignee, to_user, closed_by, to_department, document, parent."""

    __slots__ = (*_COLUMNS, *_PEOPLE, "to_department", "document", "parent")

    def __init__(self, row, people: dict, departments: dict, documents: dict, parents: dict):
        for key, value in zip(_COLUMNS, row, strict=True):
            setattr(self, key, value)
        for name in _PEOPLE:
            setattr(self, name, people.get(getattr(self, name + "_id")))
        self.to_department = departments.get(self.to_department_id)
        self.document = documents.get(self.document_id)
        self.parent = parents.get(self.parent_id)


def _by_id(query, ids: set, view) -> dict:
    """Rows of `query` for these ids as views by id; no statement when no event names one."""
    ids.discard(None)
    if not ids:
        return {}
    return {row[0]: view(*row) for row in db.session.execute(query.where(query.selected_columns[0].in_(ids)))}


def replay_views(
    account, after: int, limit: int = REPLAY_LIMIT, kind: str | None = None, person=None
) -> tuple[list[EventView], bool]:
    """What events.events_after answers, as EventViews.

    Statements: the newest id, the events, then at most one each for the people, departments, documents
    and parents they name, however many events there are.
    """
    columns = [getattr(FeedEvent, key) for key in _COLUMNS]
    rows = db.session.execute(replay_query(account, after, kind, person, *columns).limit(limit + 1)).all()
    rows, more = rows[:limit], len(rows) > limit
    people = _by_id(
        select(User.id, User.name, User.active, User.role),
        {getattr(r, name + "_id") for r in rows for name in _PEOPLE},
        UserView,
    )
    departments = _by_id(
        select(Department.id, Department.name), {r.to_department_id for r in rows}, DepartmentView
    )
    documents = _by_id(select(Document.id, Document.title), {r.document_id for r in rows}, DocumentView)
    # a reply's item is usually in the replay itself; only the others are read
    parents = {r.id: ParentView(r.id, r.kind, r.status) for r in rows}
    missing = {r.parent_id for r in rows} - parents.keys()
    parents |= _by_id(select(FeedEvent.id, FeedEvent.kind, FeedEvent.status), missing, ParentView)
    return [EventView(row, people, departments, documents, parents) for row in rows], more
