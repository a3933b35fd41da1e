"""Reading the account feed: one JSON shape for API, sockets and live pages; replay and timeline queries."""

import html
import re

from flask import g
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from .. import policy
from ..errors import ValidationError
from ..extensions import db
from ..markdown import render
from ..models import CustomerAccount, FeedEvent
from ..models.customers import EVENT_KINDS, PORTAL_KINDS, POSTED_KINDS
from ..social import mentions
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


_BLOCK = re.compile(r"</?(?:p|br|li|ul|ol|h\d|blockquote|pre|hr|tr|td|th)\b[^>]*>")  # between words: a space
_TAG = re.compile(r"<[^>]+>")  # inline (strong, em, code, a): nothing


def plain_text(markdown_text: str, limit: int = 140) -> str:
    """The start of a Markdown text as plain words: notifications and alert lists never show `**` or `##`."""
    text = " ".join(html.unescape(_TAG.sub("", _BLOCK.sub(" ", str(render(markdown_text or ""))))).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Kinds whose body the system wrote (e.g. an assessment's line): their area words it again for each
# reader's language when shown (registered from the area's init_app).
SYSTEM_BODIES: dict = {}


def body_html(ev: FeedEvent) -> Markup:
    """The body as safe HTML; a colleague's @Name links to that person, as in comments (a customer's never does)."""
    if not ev.body:
        return Markup("")
    if ev.kind in SYSTEM_BODIES:
        return render(SYSTEM_BODIES[ev.kind](ev))
    if "@" not in ev.body or ev.source == "portal" or not policy.can_mention(ev.author):
        return render(ev.body)
    if "feed_people" not in g:  # one query per request, however many cards are rendered
        g.feed_people = mentions.mentionable_people()
    named, _unknown = mentions.find_mentions(ev.body, g.feed_people)
    return render(mentions.link_mentions(ev.body, named))


def event_json(ev: FeedEvent) -> dict:
    """Describe one event the same way everywhere (API answer, `feed_event` message, replay).

    `ev` is a FeedEvent or, for the API's replay, an EventView (hub.customers.replay) with the same attributes.
    """
    closed = {"closed_by": _ref(ev.closed_by), "closed_at": ev.closed_at}
    data = {
        "id": ev.id,
        "account_id": ev.account_id,
        "kind": ev.kind,
        "body": ev.body,
        "body_html": str(body_html(ev)),
        "author": _ref(ev.author),
        "created_at": ev.created_at,
        "parent_id": ev.parent_id,
        "action": ev.action,
        "parent": None,
        "task": None,
        "help_request": None,
        "complaint": None,
        "service_request": None,
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
    elif ev.kind == "service_request":
        data["service_request"] = {"severity": ev.severity or "normal", "status": ev.status} | closed
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


def check_replay(account: CustomerAccount, after: int, kind: str | None) -> None:
    """Refuse a replay position this account could not have shown, then an unknown kind.

    `after` below zero or past its newest event is refused, so a client with a stale or invented
    position learns it instead of silently missing events.
    """
    if after < 0:
        raise ValidationError(_("after must be zero or a positive event id."))
    newest = max_event_id(account.id)
    if after > newest:
        raise ValidationError(_("after (%(after)d) is past the newest event of this account (%(newest)d).",
                                after=after, newest=newest))
    check_kind(kind)


def replay_query(account: CustomerAccount, after: int, kind: str | None, person, *entities):
    """The select behind a replay, oldest first, of whole events or of their columns (checked first)."""
    check_replay(account, after, kind)
    query = select(*entities).where(FeedEvent.account_id == account.id, FeedEvent.id > after)
    if kind:
        query = query.where(FeedEvent.kind == kind)
    if person:
        query = query.where(or_(FeedEvent.author_id == person, FeedEvent.assignee_id == person))
    return query.order_by(FeedEvent.id)


def events_after(
    account: CustomerAccount, after: int, limit: int = REPLAY_LIMIT, kind: str | None = None, person=None
) -> tuple[list[FeedEvent], bool]:
    """Events of an account with id > after, as ORM objects; `more` says whether the limit cut the list.

    The API's replay reads the same rows without the ORM (hub.customers.replay); sockets need whole
    events for the cards they render.
    """
    query = replay_query(account, after, kind, person, FeedEvent).options(*_LOAD)
    rows = list(db.session.scalars(query.limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def timeline(account: CustomerAccount, kind: str | None = None, person: int | None = None, limit: int = 50):
    """Top-level items of an account, newest first, each with its replies and updates (for the page)."""
    query = select(FeedEvent).where(FeedEvent.account_id == account.id, FeedEvent.parent_id.is_(None))
    if kind in POSTED_KINDS + PORTAL_KINDS:
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


def _owner_alerts_query(user):
    return select(FeedEvent).join(CustomerAccount, CustomerAccount.id == FeedEvent.account_id).where(
        CustomerAccount.owner_id == user.id,
        CustomerAccount.active,
        FeedEvent.kind == "complaint",
        FeedEvent.status == "open",
    )


def owner_alerts(user, limit: int = 50) -> list[FeedEvent]:
    """Open complaints on the accounts this person owns (only complaints: a service request is no alert)."""
    query = _owner_alerts_query(user).options(*_LOAD).order_by(FeedEvent.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def owner_alert_count(user) -> int:
    """How many complaints wait for this person's acknowledgement: the one bar on every staff page."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return 0
    return db.session.scalar(owner_alert_count_query(user))


def owner_alert_count_query(user):
    """The count of `owner_alert_count` as a statement (the page header batches it with the bell's)."""
    return select(func.count()).select_from(_owner_alerts_query(user).subquery())
