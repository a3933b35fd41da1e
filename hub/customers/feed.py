"""Writing the account feed: store and commit every event first, then send it and tell the people concerned.

Each function here commits: an event reaches a socket only once it is in the database with its id,
so a client that replays from its last id can never miss one that was already sent.
"""

import logging
from dataclasses import dataclass
from datetime import date

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import policy, rooms
from ..errors import ValidationError
from ..extensions import db, socketio
from ..follows import services as follows
from ..models import CustomerAccount, Department, Document, FeedEvent, User, utcnow
from ..notifications import service as notifications
from ..notifications.service import notify
from ..social import mentions
from . import services
from .events import plain_text, wire_json
from .schemas import ComplaintIn

log = logging.getLogger("hub.customers")

NOTIFY_SNIPPET = 80


def _lock(account_id: int) -> None:
    """Serialise writers per account (PostgreSQL row lock) so ids commit in the order they were given.

    SQLite needs nothing: it has one writer at a time, so ids always commit in order there.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        return
    db.session.execute(select(CustomerAccount.id).where(CustomerAccount.id == account_id).with_for_update())


def _staff(user_id: int | None, field: str) -> User | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or not user.is_staff:
        raise ValidationError(_("%(field)s: there is no active colleague with id %(id)d.", field=field, id=user_id))
    return user


def _snippet(text: str) -> str:
    return plain_text(text, NOTIFY_SNIPPET)


def _url(ev: FeedEvent) -> str:
    return url_for("customers.show", account_id=ev.account_id, _anchor=f"e{ev.parent_id or ev.id}")


def mentioned(body: str, author: User) -> list[int]:
    """Ids of active staff named as `@Name` in a text (none when its author may not mention, e.g. a customer)."""
    if "@" not in body or not policy.can_mention(author):
        return []
    named, _unknown = mentions.find_mentions(body)  # the same matching as comments (and their links)
    return [p.id for p in named]


def _publish(ev: FeedEvent, notices: list[tuple[list[int], str, dict]]) -> dict:
    """Store the event with everyone's notifications in one commit, then send it to the account room,
    then push the notifications (a complaint reaches the account's owner in the same moment)."""
    db.session.flush()
    wire, url = wire_json(ev), _url(ev)  # taken before the commit expires the event: no reload
    told, rows = set(), []
    for user_ids, kind, params in notices:
        rows += notifications.rows_for(user_ids, kind, params, url, actor_id=ev.author_id)
        told.update(user_ids)
    author = ev.author.name if ev.author else ""
    params = {"actor": author, "account": ev.account.name}
    if ev.kind == "assessment":  # its body is written by the system in the author's language: name it instead
        kind = "follow_assessment"
    else:
        kind, params["text"] = "follow_feed", _snippet(ev.body)
    listeners = [i for i in follows.followers("customer", ev.account) if i not in told]
    rows += notifications.rows_for(listeners, kind, params, url, actor_id=ev.author_id)
    note_ids = notifications.store(rows)
    db.session.commit()
    socketio.emit("feed_event", wire, to=rooms.customer(wire["account_id"]))
    notifications.deliver(note_ids)
    return wire


def may_post(user: User, account: CustomerAccount, kind: str) -> bool:
    """Whether this person may post an event of this kind: complaints have their own rule (customers log
    them from the portal), every other kind is a post to the feed."""
    allowed = policy.can_log_complaint if kind == "complaint" else policy.can_post_event
    return allowed(user, account)


def build_event(account: CustomerAccount, actor: User, data, source: str = "staff") -> FeedEvent:
    """Check a posted event (an EventIn model) and add it to the session; nothing is committed."""
    ev = FeedEvent(account_id=account.id, kind=data.kind, author_id=actor.id, body=data.body, source=source)
    if data.kind == "task":
        ev.assignee_id = (_staff(data.assignee_id, "assignee_id") or actor).id
        ev.due_date = data.due_date
        ev.status = "open"
    elif data.kind == "help_request":
        # A named colleague wins over the department: the page offers both pickers at once, and the
        # API takes the same input the page does.
        if data.to_user_id is not None:
            ev.to_user_id = _staff(data.to_user_id, "to_user_id").id
        elif data.to_department_id is None:
            raise ValidationError(_("A help request goes to one colleague (to_user_id) or one department (to_department_id)."))
        else:
            dept = db.session.get(Department, data.to_department_id)
            if dept is None or not dept.active:
                raise ValidationError(_("to_department_id: there is no active department with id %(id)d.",
                                        id=data.to_department_id))
            ev.to_department_id = dept.id
        ev.status = "open"
    elif data.kind == "complaint":
        ev.severity = data.severity
        ev.status = "open"
    elif data.kind == "document":
        doc = db.session.get(Document, data.document_id)
        # Only documents every colleague may read are linked: the feed is read by all staff.
        if doc is None or doc.visibility != "staff":
            raise ValidationError(_("document_id: there is no staff-wide document with id %(id)d.", id=data.document_id))
        ev.document_id = doc.id
    _lock(account.id)
    db.session.add(ev)
    db.session.flush()
    return ev


def notices_for(ev: FeedEvent, actor: User, account: CustomerAccount) -> list[tuple[list[int], str, dict]]:
    """Who hears about a new event: the assignee, the people asked, the owner (complaint), the owner and
    service contacts (service request), anyone @named. Each notice is a kind and its values (worded when shown)."""
    params = {"actor": actor.name, "account": account.name, "text": _snippet(ev.body)}
    notices = []
    if ev.kind == "task" and ev.assignee_id != actor.id:
        notices.append(([ev.assignee_id], "task", params))
    elif ev.kind == "help_request":
        if ev.to_user_id:
            targets = [ev.to_user_id]
        else:
            dept = db.session.get(Department, ev.to_department_id)
            targets = [m.id for m in dept.members]
        notices.append((targets, "help_request", params))
    elif ev.kind == "complaint":
        notices.append(([account.owner_id], "complaint", params))
    elif ev.kind == "service_request":
        notices.append((portal_team(account), "service_request", params))
    named = mentioned(ev.body, actor)
    if named:
        notices.append((named, "feed_mention", params))
    return notices


@dataclass(frozen=True)
class Posted:
    event: FeedEvent  # expired by the commit: reading it loads it again
    wire: dict  # the event as it was sent, which the API answers with (no reload)


def post_event(account: CustomerAccount, actor: User, data, source: str = "staff") -> Posted:
    """Store a new event (note, call, visit, task, help request, complaint, document), then send it."""
    ev = build_event(account, actor, data, source)
    wire = _publish(ev, notices_for(ev, actor, account))
    log.info("event %s (%s) on account %s by user %s", wire["id"], wire["kind"], wire["account_id"], actor.id)
    return Posted(ev, wire)


def portal_team(account: CustomerAccount) -> list[int]:
    """Who hears of a customer's service request: the owner and the account's service contacts."""
    ids = [account.owner_id] if account.owner_id else []
    return list(dict.fromkeys(ids + [u.id for u in services.members(account, "service")]))


def build_portal_item(account: CustomerAccount, actor: User, kind: str, body: str, severity: str) -> FeedEvent:
    """A customer's request (`service_request`) or complaint from the portal, added but not committed."""
    if kind == "complaint":
        return build_event(account, actor, ComplaintIn(kind="complaint", body=body, severity=severity), "portal")
    ev = FeedEvent(account_id=account.id, kind="service_request", author_id=actor.id, body=body, source="portal",
                   severity=severity, status="open")
    _lock(account.id)
    db.session.add(ev)
    db.session.flush()
    return ev


def publish_new(ev: FeedEvent, actor: User, account: CustomerAccount) -> None:
    """Commit a new item built here, send it, tell whoever it concerns."""
    _publish(ev, notices_for(ev, actor, account))
    log.info("event %s (%s) on account %s by user %s", ev.id, ev.kind, account.id, actor.id)


def answer_portal_item(item: FeedEvent, actor: User, close: bool = False) -> list[FeedEvent]:
    """The team answered a portal item; nothing is committed (publish_changes does).

    A service request becomes answered (or closed); a complaint counts as acknowledged, so its alert
    goes away: whoever answered the customer has taken it in hand.
    """
    changes = []
    if item.kind == "service_request":
        status = "closed" if close else "answered"
        if item.status != status and item.status != "closed":
            item.status = status
            if close:
                item.closed_by_id, item.closed_at = actor.id, utcnow()
            changes.append(_change(item, actor, status))
    elif item.kind == "complaint" and item.status == "open":
        item.status = "acknowledged"
        item.closed_by_id, item.closed_at = actor.id, utcnow()
        changes.append(_change(item, actor, "acknowledged"))
    return changes


def publish_changes(changes: list[FeedEvent]) -> None:
    """Commit, then send each update to the account room."""
    db.session.commit()
    for ev in changes:
        socketio.emit("feed_event", wire_json(ev), to=rooms.customer(ev.account_id))


def _change(item: FeedEvent, actor: User, action: str, body: str = "") -> FeedEvent:
    _lock(item.account_id)
    ev = FeedEvent(account_id=item.account_id, kind="update", author_id=actor.id, parent_id=item.id,
                   action=action, body=body)
    db.session.add(ev)
    db.session.flush()
    return ev


def change_task(task: FeedEvent, actor: User, status: str | None = None, assignee_id: int | None = None,
                due_date: date | None = None, set_due: bool = False) -> list[FeedEvent]:
    """Complete, reopen, reassign or reschedule a task; one update event per real change."""
    changes, notices = [], []
    new_assignee = _staff(assignee_id, "assignee_id")
    if status is not None and status != task.status:
        task.status = status
        task.closed_by_id, task.closed_at = (actor.id, utcnow()) if status == "done" else (None, None)
        changes.append(_change(task, actor, "completed" if status == "done" else "reopened"))
    if new_assignee is not None and new_assignee.id != task.assignee_id:
        task.assignee_id = new_assignee.id
        changes.append(_change(task, actor, "reassigned", new_assignee.name))
        notices.append(([new_assignee.id], "task", {"actor": actor.name, "account": task.account.name,
                                                    "text": _snippet(task.body)}))
    if set_due and due_date != task.due_date:
        task.due_date = due_date
        changes.append(_change(task, actor, "rescheduled", due_date.isoformat() if due_date else ""))
    db.session.commit()
    for ev in changes:
        socketio.emit("feed_event", wire_json(ev), to=rooms.customer(ev.account_id))
    for user_ids, kind, params in notices:
        notify(user_ids, kind, params, _url(task), actor_id=actor.id)
    return changes


def reply(request: FeedEvent, actor: User, body: str) -> FeedEvent:
    """Answer a help request; the asker and the person asked hear about it."""
    _lock(request.account_id)
    ev = FeedEvent(account_id=request.account_id, kind="reply", author_id=actor.id, parent_id=request.id, body=body)
    db.session.add(ev)
    db.session.flush()
    params = {"actor": actor.name, "account": request.account.name, "text": _snippet(body)}
    notices = [([request.author_id, request.to_user_id], "help_reply", params)]
    named = mentioned(body, actor)
    if named:
        notices.append((named, "feed_mention", params))
    _publish(ev, notices)
    return ev


def set_request_status(request: FeedEvent, actor: User, status: str) -> FeedEvent | None:
    """Mark a help request solved or open again; nothing happens when it already is."""
    if status == request.status:
        return None
    request.status = status
    request.closed_by_id, request.closed_at = (actor.id, utcnow()) if status == "solved" else (None, None)
    ev = _change(request, actor, "solved" if status == "solved" else "reopened")
    _publish(ev, [])
    return ev


def acknowledge(complaint: FeedEvent, actor: User) -> FeedEvent | None:
    """The owner acknowledges a complaint: its alert goes away for good."""
    if complaint.status != "open":
        return None
    complaint.status = "acknowledged"
    complaint.closed_by_id, complaint.closed_at = actor.id, utcnow()
    ev = _change(complaint, actor, "acknowledged")
    _publish(ev, [])
    return ev
