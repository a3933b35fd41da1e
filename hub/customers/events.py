"""Reading the account feed: one JSON shape for API, sockets and live pages; replay and timeline queries."""

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..errors import ValidationError
from ..extensions import db
from ..markdown import render
from ..models import CustomerAccount, FeedEvent
from ..models.customers import EVENT_KINDS, POSTED_KINDS
from .schemas import EventOut

REPLAY_LIMIT = 500

_LOAD = (
    selectinload(FeedEvent.author),
    selectinload(FeedEvent.assignee),
    selectinload(FeedEvent.to_user),
    selectinload(FeedEvent.to_department),
    selectinload(FeedEvent.closed_by),
    selectinload(FeedEvent.document),
    selectinload(FeedEvent.parent),
)


def _ref(user) -> dict | None:
    return None if user is None else {"id": user.id, "name": user.name}


def event_json(ev: FeedEvent) -> dict:
    """Describe one event the same way everywhere (API answer, `feed_event` message, replay)."""
    closed = {"closed_by": _ref(ev.closed_by), "closed_at": ev.closed_at}
    data = {
        "id": ev.id,
        "account_id": ev.account_id,
        "kind": ev.kind,
        "body": ev.body,
        "body_html": str(render(ev.body)) if ev.body else "",
        "author": _ref(ev.author),
        "created_at": ev.created_at,
        "parent_id": ev.parent_id,
        "action": ev.action,
        "parent": None,
        "task": None,
        "help_request": None,
        "complaint": None,
        "document": None,
    }
    if ev.parent is not None:
        data["parent"] = {"id": ev.parent.id, "kind": ev.parent.kind, "status": ev.parent.status}
    if ev.kind == "task":
        data["task"] = {"assignee": _ref(ev.assignee), "due_date": ev.due_date, "status": ev.status} | closed
    elif ev.kind == "help_request":
        dept = ev.to_department
        data["help_request"] = {
            "to_user": _ref(ev.to_user),
            "to_department": None if dept is None else {"id": dept.id, "name": dept.name},
            "status": ev.status,
        } | closed
    elif ev.kind == "complaint":
        data["complaint"] = {
            "severity": ev.severity or "normal",
            "source": ev.source,
            "status": ev.status,
            "acknowledged_by": _ref(ev.closed_by),
            "acknowledged_at": ev.closed_at,
        }
    elif ev.kind == "document" and ev.document is not None:
        data["document"] = {"id": ev.document.id, "title": ev.document.title}
    return data


def wire_json(ev: FeedEvent) -> dict:
    """The event as Socket.IO sends it: dates as ISO strings (the same text the API returns)."""
    return EventOut.model_validate(event_json(ev)).model_dump(mode="json")


def max_event_id(account_id: int) -> int:
    return db.session.scalar(select(func.max(FeedEvent.id)).where(FeedEvent.account_id == account_id)) or 0


def check_kind(kind: str | None) -> None:
    if kind is not None and kind not in EVENT_KINDS:
        raise ValidationError(_("Unknown event kind: %(kind)s.", kind=kind[:20]))


def events_after(
    account: CustomerAccount, after: int, limit: int = REPLAY_LIMIT, kind: str | None = None, person=None
) -> tuple[list[FeedEvent], bool]:
    """Events of an account with id > after, oldest first; `more` says whether the limit cut the list.

    `after` must be an id this account could have shown: below zero or past its newest event is refused,
    so a client with a stale or invented position learns it instead of silently missing events.
    """
    if after < 0:
        raise ValidationError(_("after must be zero or a positive event id."))
    newest = max_event_id(account.id)
    if after > newest:
        raise ValidationError(_("after (%(after)d) is past the newest event of this account (%(newest)d).",
                                after=after, newest=newest))
    check_kind(kind)
    query = select(FeedEvent).where(FeedEvent.account_id == account.id, FeedEvent.id > after)
    if kind:
        query = query.where(FeedEvent.kind == kind)
    if person:
        query = query.where(or_(FeedEvent.author_id == person, FeedEvent.assignee_id == person))
    rows = list(db.session.scalars(query.options(*_LOAD).order_by(FeedEvent.id).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def timeline(account: CustomerAccount, kind: str | None = None, person: int | None = None, limit: int = 50):
    """Top-level items of an account, newest first, each with its replies and updates (for the page)."""
    query = select(FeedEvent).where(FeedEvent.account_id == account.id, FeedEvent.parent_id.is_(None))
    if kind in POSTED_KINDS:
        query = query.where(FeedEvent.kind == kind)
    if person:
        query = query.where(or_(FeedEvent.author_id == person, FeedEvent.assignee_id == person))
    query = query.options(*_LOAD, selectinload(FeedEvent.children).selectinload(FeedEvent.author))
    return list(db.session.scalars(query.order_by(FeedEvent.id.desc()).limit(limit)))


def open_items(account: CustomerAccount, kind: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(FeedEvent).where(
            FeedEvent.account_id == account.id, FeedEvent.kind == kind, FeedEvent.status == "open"
        )
    )


def owner_alerts(user) -> list[FeedEvent]:
    """Open complaints on the accounts this person owns: shown prominently until acknowledged."""
    query = (
        select(FeedEvent)
        .join(CustomerAccount, CustomerAccount.id == FeedEvent.account_id)
        .where(
            CustomerAccount.owner_id == user.id,
            CustomerAccount.active,
            FeedEvent.kind == "complaint",
            FeedEvent.status == "open",
        )
        .options(*_LOAD)
        .order_by(FeedEvent.id.desc())
        .limit(20)
    )
    return list(db.session.scalars(query))
