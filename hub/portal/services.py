"""The portal's work: an account's space, its announcements, conversation and requests.

Every reading function takes the account (never an id from the client) and filters on it, so a
customer's queries cannot reach another account. Writers commit, then emit to `portal:<id>`.
"""

import logging
from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import rooms
from ..customers import feed
from ..customers import services as customers
from ..errors import ValidationError
from ..extensions import db, socketio
from ..markdown import render
from ..models import (
    Announcement,
    CustomerAccount,
    PortalMessage,
    PortalReply,
    PortalRequest,
    User,
    utcnow,
)
from ..models.base import iso
from ..models.portal import ANNOUNCEMENT_MAX, MESSAGE_MAX, REPLY_MAX
from ..notifications.service import notify
from . import branding

log = logging.getLogger("hub.portal")

REQUEST_MAX = 5_000
MESSAGE_PAGE = 100
# Customer lines closer together than this, with no answer between them, are one burst: one bell for the team.
BURST_GAP = timedelta(minutes=15)


def _clean(body: str | None, maximum: int, what: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("%(what)s must not be empty.", what=what))
    if len(body) > maximum:
        raise ValidationError(_("%(what)s may have at most %(n)d characters.", what=what, n=maximum))
    if "\x00" in body:
        raise ValidationError(_("%(what)s contains characters that are not allowed.", what=what))
    return body


def person_card(user: User, role: str) -> dict:
    """What a customer may know about a colleague: name, title, role on their account, how to reach them."""
    return {"id": user.id, "name": user.name, "title": user.title or "", "role": role,
            "email": user.email, "phone": user.phone or "", "initial": user.name[:1]}


def team(account: CustomerAccount) -> list[dict]:
    """The account's rep (owner) first, then service contacts and the team, each person once."""
    cards, seen = [], set()
    owner = account.owner
    if owner is not None and owner.active:
        cards.append(person_card(owner, "owner"))
        seen.add(owner.id)
    for role, people in (("service", customers.members(account, "service")), ("team", customers.members(account, "team"))):
        for person in people:
            if person.id not in seen:
                seen.add(person.id)
                cards.append(person_card(person, role))
    return cards


def team_ids(account: CustomerAccount) -> list[int]:
    return [card["id"] for card in team(account)]


# --- announcements -------------------------------------------------------------------------


def announcements(account: CustomerAccount, limit: int = 10) -> list[Announcement]:
    return list(db.session.scalars(
        select(Announcement).where(Announcement.account_id == account.id)
        .options(selectinload(Announcement.author)).order_by(Announcement.id.desc()).limit(limit)
    ))


def announcement_json(a: Announcement) -> dict:
    return {"id": a.id, "body": a.body, "body_html": str(render(a.body)),
            "author": None if a.author is None else {"id": a.author.id, "name": a.author.name},
            "created_at": a.created_at}


def post_announcement(account: CustomerAccount, actor: User, body: str) -> Announcement:
    row = Announcement(account_id=account.id, author_id=actor.id, body=_clean(body, ANNOUNCEMENT_MAX, _("An announcement")))
    db.session.add(row)
    db.session.commit()
    socketio.emit("portal_announcement", _wire(announcement_json(row)), to=rooms.portal(account.id))
    return row


# --- the conversation ----------------------------------------------------------------------


def message_json(m: PortalMessage) -> dict:
    author = m.author
    return {"id": m.id, "account_id": m.account_id, "body": m.body,
            "author": None if author is None else {"id": author.id, "name": author.name},
            "from_customer": bool(author is not None and author.is_customer),
            "created_at": iso(m.created_at)}


def messages(account: CustomerAccount, after: int = 0, limit: int = MESSAGE_PAGE) -> list[PortalMessage]:
    """The latest messages (or those after an id), oldest first."""
    query = select(PortalMessage).where(PortalMessage.account_id == account.id).options(selectinload(PortalMessage.author))
    if after:
        rows = db.session.scalars(query.where(PortalMessage.id > after).order_by(PortalMessage.id).limit(limit))
        return list(rows)
    rows = list(db.session.scalars(query.order_by(PortalMessage.id.desc()).limit(limit)))
    return rows[::-1]


def starts_burst(row: PortalMessage) -> bool:
    """Whether a customer's line opens a new burst: the first line, after the team's answer, or after a pause."""
    before = db.session.scalars(
        select(PortalMessage).where(PortalMessage.account_id == row.account_id, PortalMessage.id < row.id)
        .options(selectinload(PortalMessage.author)).order_by(PortalMessage.id.desc()).limit(1)
    ).first()
    if before is None or before.author is None or not before.author.is_customer:
        return True
    return row.created_at - before.created_at > BURST_GAP


def send_message(account: CustomerAccount, actor: User, body: str) -> PortalMessage:
    """Store a message, commit, send it to the portal room; a customer's burst of lines rings the team's bell once."""
    row = PortalMessage(account_id=account.id, author_id=actor.id, body=_clean(body, MESSAGE_MAX, _("A message")))
    db.session.add(row)
    db.session.commit()
    socketio.emit("portal_message", message_json(row), to=rooms.portal(account.id))
    if actor.is_customer and starts_burst(row):
        params = {"name": actor.name, "account": account.name, "text": " ".join(row.body.split())[:80]}
        notify(team_ids(account), "portal_message", params,
               url_for("customers.show", account_id=account.id, _anchor="portal"), actor_id=actor.id)
    return row


# --- requests and complaints -------------------------------------------------------------


def submit_request(account: CustomerAccount, actor: User, kind: str, body: str, severity: str = "normal") -> PortalRequest:
    """A customer's request (a service request in the feed, the owner and service contacts hear of it) or
    complaint (a complaint in the feed: the owner's alert), stored together with its portal row."""
    if kind not in ("request", "complaint"):
        raise ValidationError(_("Choose a request or a complaint."))
    if severity not in ("low", "normal", "high"):
        raise ValidationError(_("Unknown severity."))
    body = _clean(body, REQUEST_MAX, _("Your message"))
    ev = feed.build_portal_item(account, actor, kind, body, severity)
    row = PortalRequest(event_id=ev.id, account_id=account.id, user_id=actor.id, kind=kind)
    db.session.add(row)
    feed.publish_new(ev, actor, account)  # commits both, sends, tells the team
    socketio.emit("portal_request", _wire(request_json(row, [])), to=rooms.portal(account.id))
    log.info("portal %s %s on account %s by user %s", kind, ev.id, account.id, actor.id)
    return row


def request_status(row: PortalRequest, replies: list[PortalReply]) -> str:
    """What the customer sees: open -> (acknowledged, for a complaint) -> answered -> closed."""
    if row.resolved_at is not None or row.event.status == "closed":
        return "closed"
    if replies or row.event.status == "answered":
        return "answered"
    if row.event.status == "acknowledged":
        return "acknowledged"
    return "open"


def requests(account: CustomerAccount, limit: int = 50) -> list[dict]:
    """The account's portal requests, newest first, with the team's replies (never internal feed entries)."""
    rows = list(db.session.scalars(
        select(PortalRequest).where(PortalRequest.account_id == account.id)
        .options(selectinload(PortalRequest.event), selectinload(PortalRequest.user))
        .order_by(PortalRequest.event_id.desc()).limit(limit)
    ))
    replies: dict[int, list[PortalReply]] = {}
    if rows:
        for reply in db.session.scalars(
            select(PortalReply).where(PortalReply.account_id == account.id,
                                      PortalReply.event_id.in_([r.event_id for r in rows]))
            .options(selectinload(PortalReply.author)).order_by(PortalReply.id)
        ):
            replies.setdefault(reply.event_id, []).append(reply)
    return [request_json(r, replies.get(r.event_id, [])) for r in rows]


def request_json(row: PortalRequest, replies: list[PortalReply]) -> dict:
    ev = row.event
    return {
        "id": row.event_id, "kind": row.kind, "body": ev.body, "severity": ev.severity or "normal",
        "status": request_status(row, replies), "created_at": row.created_at, "resolved_at": row.resolved_at,
        "author": None if row.user is None else {"id": row.user.id, "name": row.user.name},
        "replies": [{"id": r.id, "body": r.body, "created_at": r.created_at,
                     "author": None if r.author is None else {"id": r.author.id, "name": r.author.name}}
                    for r in replies],
    }


def find_request(account: CustomerAccount, event_id: int) -> PortalRequest | None:
    row = db.session.get(PortalRequest, event_id)
    return row if row is not None and row.account_id == account.id else None


def reply_request(row: PortalRequest, actor: User, body: str, resolve: bool = False) -> PortalReply:
    """The team answers a portal request (answered, or closed) or complaint (its alert clears); the customer is told."""
    reply = PortalReply(event_id=row.event_id, account_id=row.account_id, author_id=actor.id,
                        body=_clean(body, REPLY_MAX, _("A reply")))
    db.session.add(reply)
    if resolve:
        row.resolved_at = utcnow()
    changes = feed.answer_portal_item(row.event, actor, close=resolve)
    feed.publish_changes(changes)  # commits the reply with the item's new state, then tells the feed
    socketio.emit("portal_request", _wire(request_json(row, _replies(row))), to=rooms.portal(row.account_id))
    if row.user_id:
        notify([row.user_id], "portal_reply", {"text": " ".join(body.split())[:80]},
               url_for("portal.home", _anchor="requests"), actor_id=actor.id)
    return reply


def _replies(row: PortalRequest) -> list[PortalReply]:
    return list(db.session.scalars(select(PortalReply).where(PortalReply.event_id == row.event_id).order_by(PortalReply.id)))


def _wire(data: dict) -> dict:
    """Dates as ISO text, as the API returns them."""
    out = {}
    for key, value in data.items():
        if hasattr(value, "isoformat"):
            out[key] = iso(value)
        elif isinstance(value, list):
            out[key] = [_wire(v) if isinstance(v, dict) else v for v in value]
        else:
            out[key] = value
    return out


# --- the whole space -----------------------------------------------------------------------


def space(account: CustomerAccount) -> dict:
    """Everything the portal's home shows about an account (the API's GET /portal)."""
    brand = branding.brand(account)
    return {
        "account": {"id": account.id, "name": account.name, "logo_url": branding.logo_url(account, brand),
                    "initial": branding.initial(account), "color": branding.color(account),
                    "color_index": branding.color_index(account)},
        "welcome": brand.welcome if brand else "",
        "announcements": [announcement_json(a) for a in announcements(account)],
        "team": team(account),
    }
