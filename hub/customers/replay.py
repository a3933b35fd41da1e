"""The API's feed replay read without the ORM: the account, its events and what they name, in one statement.

Hydrating hundreds of FeedEvent objects with seven relationships cost more than the rest of the request,
and each further statement cost about as much as wording a dozen events. Here the account row, the
events (outer-joined, so an account without events still comes back) and the people, department,
document and parent each event names come as one row per event; each event becomes an EventView:
read-only, with the attribute names of FeedEvent that `event_json` and `body_html` read, so one function
words both (tests/test_feed_replay_views.py compares the two answers event by event).
"""

from collections import namedtuple
from functools import cache

from sqlalchemy import and_, bindparam, func, inspect, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import CustomerAccount, Department, Document, FeedEvent, User
from .events import REPLAY_LIMIT

DepartmentView = namedtuple("DepartmentView", "id name")
DocumentView = namedtuple("DocumentView", "id title")
ParentView = namedtuple("ParentView", "id kind status")
Replay = namedtuple("Replay", "account events more newest")

_ACCOUNT_COLUMNS = tuple(attr.class_attribute for attr in inspect(CustomerAccount).column_attrs)
AccountView = namedtuple("AccountView", [attr.key for attr in inspect(CustomerAccount).column_attrs])
_COLUMNS = tuple(attr.key for attr in inspect(FeedEvent).column_attrs)
_PEOPLE = ("author", "assignee", "to_user", "closed_by")  # each through <name>_id
_PERSON_COLUMNS = ("id", "name", "active", "role")


class UserView:
    """A person as an event shows them, and as policy.can_mention asks about them."""

    __slots__ = ("id", "name", "active", "role")

    # User's own rules (flask_login's is_authenticated reads is_active), so the two cannot drift
    is_active, is_authenticated, is_staff = User.is_active, User.is_authenticated, User.is_staff

    def __init__(self, id, name, active, role):
        self.id, self.name, self.active, self.role = id, name, active, role


# One replayed event: its columns plus author, assignee, to_user, closed_by, to_department, document, parent.
# A tuple with named fields: made in one step from the row's slice (setting 29 attributes cost more).
EventView = namedtuple("EventView", (*_COLUMNS, *_PEOPLE, "to_department", "document", "parent"))
_new_event = EventView._make


# Where each part sits in a replay row: account, event, the four people, department, document, parent, newest.
_EVENT_AT = len(_ACCOUNT_COLUMNS)
_PEOPLE_AT = _EVENT_AT + len(_COLUMNS)
_REFS_AT = _PEOPLE_AT + len(_PEOPLE) * len(_PERSON_COLUMNS)
_NEWEST_AT = _REFS_AT + 7
_EVENT_ID_AT = _EVENT_AT + _COLUMNS.index("id")
_PERSON_WIDTH = len(_PERSON_COLUMNS)


@cache
def _replay_q(by_kind: bool, by_person: bool):
    """The replay's one select (events.replay_query's filters), built once per filter combination.

    The newest id is an uncorrelated subquery (evaluated once): only an empty replay needs it, to tell
    a position past the newest event (refused) from one at it.
    """
    people = [aliased(User, name=name) for name in _PEOPLE]
    department, document = aliased(Department, name="to_department"), aliased(Document, name="document")
    parent, newest_of = aliased(FeedEvent, name="parent"), aliased(FeedEvent, name="newest_of")
    joined = [FeedEvent.account_id == CustomerAccount.id, FeedEvent.id > bindparam("after")]
    if by_kind:
        joined.append(FeedEvent.kind == bindparam("kind"))
    if by_person:
        joined.append(or_(FeedEvent.author_id == bindparam("person"), FeedEvent.assignee_id == bindparam("person")))
    newest = select(func.max(newest_of.id)).where(newest_of.account_id == bindparam("account")).scalar_subquery()
    query = select(
        *_ACCOUNT_COLUMNS,
        *(getattr(FeedEvent, key) for key in _COLUMNS),
        *(getattr(person, key) for person in people for key in _PERSON_COLUMNS),
        department.id, department.name, document.id, document.title, parent.id, parent.kind, parent.status,
        newest,
    ).select_from(CustomerAccount).outerjoin(FeedEvent, and_(*joined))
    for name, person in zip(_PEOPLE, people, strict=True):
        query = query.outerjoin(person, person.id == getattr(FeedEvent, name + "_id"))
    query = (
        query.outerjoin(department, department.id == FeedEvent.to_department_id)
        .outerjoin(document, document.id == FeedEvent.document_id)
        .outerjoin(parent, parent.id == FeedEvent.parent_id)
    )
    return query.where(CustomerAccount.id == bindparam("account")).order_by(FeedEvent.id).limit(bindparam("limit"))


_ACCOUNT_Q = select(*_ACCOUNT_COLUMNS).where(CustomerAccount.id == bindparam("id"))


def _execute(query, params: dict):
    """A Core select on the session's connection: its plain rows without the ORM's execution layers
    (a third of each statement's cost here). A replay only reads, so nothing waits to be flushed."""
    return db.session.connection().execute(query, params)


def account_row(account_id: int):
    """The account's columns as a plain row (or None), for the policy check of a refused replay.

    hub.policy.can_view_customer reads columns only (should it read a relationship, this fails loudly).
    """
    return _execute(_ACCOUNT_Q, {"id": account_id}).one_or_none()


def _event(row, people: dict) -> EventView:
    refs = []
    at = _PEOPLE_AT
    for _name in _PEOPLE:
        person_id = row[at]
        person = None
        if person_id is not None:
            person = people.get(person_id)
            if person is None:
                person = people[person_id] = UserView(*row[at:at + _PERSON_WIDTH])
        refs.append(person)
        at += _PERSON_WIDTH
    dept_id, dept_name, doc_id, doc_title, parent_id, parent_kind, parent_status = row[_REFS_AT:_NEWEST_AT]
    refs.append(None if dept_id is None else DepartmentView(dept_id, dept_name))
    refs.append(None if doc_id is None else DocumentView(doc_id, doc_title))
    refs.append(None if parent_id is None else ParentView(parent_id, parent_kind, parent_status))
    return _new_event((*row[_EVENT_AT:_PEOPLE_AT], *refs))


def replay_views(account_id: int, after: int, limit: int = REPLAY_LIMIT, kind: str | None = None, person=None) -> Replay:
    """What events.events_after answers, as EventViews, with the account's row and its newest event id.

    `kind` must be a known one (the caller checks, after the policy's). The account is None when there
    is none; the caller decides whether its reader may see it before using anything else here.
    """
    params = {"account": account_id, "after": after, "kind": kind, "person": person, "limit": limit + 1}
    rows = _execute(_replay_q(bool(kind), bool(person)), params).all()
    if not rows:
        return Replay(None, [], False, 0)
    first = rows[0]
    account = AccountView(*first[:_EVENT_AT])
    newest = first[_NEWEST_AT] or 0
    if first[_EVENT_ID_AT] is None:  # the account's own row, outer-joined to no event
        return Replay(account, [], False, newest)
    people: dict = {}
    return Replay(account, [_event(row, people) for row in rows[:limit]], len(rows) > limit, newest)
