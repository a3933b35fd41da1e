"""The API's feed replay read without the ORM: event rows, then what they name, in one statement per table.

Hydrating hundreds of FeedEvent objects with seven relationships cost more than the rest of the request.
Here the rows stay plain and each event becomes an EventView: read-only, with the attribute names of
FeedEvent that `event_json` and `body_html` read, so one function words both (tests/test_feed_replay_views.py
compares the two answers event by event).
"""

from collections import namedtuple
from functools import cache

from sqlalchemy import bindparam, inspect, or_, select

from ..extensions import db
from ..models import CustomerAccount, Department, Document, FeedEvent, User
from ..models.customers import EVENT_KINDS
from .events import REPLAY_LIMIT, check_replay

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

    def __init__(self, row):
        # a Row iterates as fast as a tuple, while each attribute read of it (a miss, then __getattr__)
        # costs more than the view's whole line; the views are read instead
        for key, value in zip(_COLUMNS, row, strict=True):
            setattr(self, key, value)

    def name_from(self, people: dict, departments: dict, documents: dict, parents: dict) -> "EventView":
        for name in _PEOPLE:
            setattr(self, name, people.get(getattr(self, name + "_id")))
        self.to_department = departments.get(self.to_department_id)
        self.document = documents.get(self.document_id)
        self.parent = parents.get(self.parent_id)
        return self


def _ids_in(*columns):
    """A select of `columns` for the rows whose first column is in :ids, built once (not per request)."""
    return select(*columns).where(columns[0].in_(bindparam("ids", expanding=True)))


_PEOPLE_Q = _ids_in(User.id, User.name, User.active, User.role)
_DEPARTMENTS_Q = _ids_in(Department.id, Department.name)
_DOCUMENTS_Q = _ids_in(Document.id, Document.title)
_PARENTS_Q = _ids_in(FeedEvent.id, FeedEvent.kind, FeedEvent.status)


@cache
def _events_q(by_kind: bool, by_person: bool):
    """The replay's select of event columns (events.replay_query's filters), one per filter combination."""
    query = select(*(getattr(FeedEvent, key) for key in _COLUMNS)).where(
        FeedEvent.account_id == bindparam("account"), FeedEvent.id > bindparam("after")
    )
    if by_kind:
        query = query.where(FeedEvent.kind == bindparam("kind"))
    if by_person:
        query = query.where(or_(FeedEvent.author_id == bindparam("person"), FeedEvent.assignee_id == bindparam("person")))
    return query.order_by(FeedEvent.id).limit(bindparam("limit"))


def _execute(query, params: dict):
    """A Core select on the session's connection: its plain rows without the ORM's execution layers
    (a third of each statement's cost here). A replay only reads, so nothing waits to be flushed."""
    return db.session.connection().execute(query, params)


def _by_id(query, ids: set, view) -> dict:
    """Rows of `query` for these ids as views by id; no statement when no event names one."""
    ids.discard(None)
    if not ids:
        return {}
    return {row[0]: view(*row) for row in _execute(query, {"ids": list(ids)})}


_ACCOUNT_COLUMNS = tuple(attr.key for attr in inspect(CustomerAccount).column_attrs)
_ACCOUNT_Q = select(*(getattr(CustomerAccount, key) for key in _ACCOUNT_COLUMNS)).where(
    CustomerAccount.id == bindparam("id")
)
AccountView = namedtuple("AccountView", _ACCOUNT_COLUMNS)


def account_row(account_id: int):
    """The account's columns as a plain named tuple (or None), for the replay's policy check and filters.

    Loading the ORM object cost more than the replay's events; hub.policy.can_view_customer reads
    columns only (should it read a relationship, this fails loudly, never silently). A tuple, not the
    Row: a Row's attribute costs twenty times a tuple's.
    """
    row = _execute(_ACCOUNT_Q, {"id": account_id}).one_or_none()
    return None if row is None else AccountView._make(row)


def replay_views(
    account, after: int, limit: int = REPLAY_LIMIT, kind: str | None = None, person=None
) -> tuple[list[EventView], bool]:
    """What events.events_after answers, as EventViews.

    Statements: the events, then at most one each for the people, departments, documents and parents
    they name, however many events there are. The newest id is read only when no event came back:
    an event past `after` proves `after` is no position past the newest (events.check_replay).
    """
    if after < 0 or (kind is not None and kind not in EVENT_KINDS):
        check_replay(account, after, kind)  # refused as the ORM path refuses, in the same order
    params = {"account": account.id, "after": after, "kind": kind, "person": person, "limit": limit + 1}
    rows = _execute(_events_q(bool(kind), bool(person)), params).all()
    if not rows and after > 0:
        check_replay(account, after, kind)
    rows, more = rows[:limit], len(rows) > limit
    views = [EventView(row) for row in rows]
    people = _by_id(_PEOPLE_Q, {getattr(v, name + "_id") for v in views for name in _PEOPLE}, UserView)
    departments = _by_id(_DEPARTMENTS_Q, {v.to_department_id for v in views}, DepartmentView)
    documents = _by_id(_DOCUMENTS_Q, {v.document_id for v in views}, DocumentView)
    # a reply's item is usually in the replay itself; only the others are read
    parents = {v.id: ParentView(v.id, v.kind, v.status) for v in views}
    missing = {v.parent_id for v in views} - parents.keys()
    parents |= _by_id(_PARENTS_Q, missing, ParentView)
    return [v.name_from(people, departments, documents, parents) for v in views], more
