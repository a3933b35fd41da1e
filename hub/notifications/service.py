"""Tell people things: store a notification, then push it to the person's own Socket.IO room.

Callers commit their own work first; `notify` stores the row, commits, then emits, so a
person who is offline finds it on the next page load and nobody receives an uncommitted event.
"""

from sqlalchemy import func, select, update

from .. import rooms
from ..extensions import db, socketio
from ..models import Notification, utcnow
from ..models.base import iso


def as_json(note: Notification) -> dict:
    return {
        "id": note.id,
        "kind": note.kind,
        "text": note.text,
        "url": note.url,
        "actor": None if note.actor is None else {"id": note.actor.id, "name": note.actor.name},
        "created_at": iso(note.created_at),
        "read": note.read_at is not None,
    }


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    )


def notify(user_ids, kind: str, text: str, url: str = "", actor_id: int | None = None) -> list[Notification]:
    """Store one notification per person (never the actor themself), commit, then push it live."""
    notes = []
    for user_id in dict.fromkeys(user_ids):  # de-duplicated, order kept
        if user_id is None or user_id == actor_id:
            continue
        note = Notification(user_id=user_id, kind=kind, text=text[:500], url=url[:300], actor_id=actor_id)
        db.session.add(note)
        notes.append(note)
    if not notes:
        return notes
    db.session.commit()
    for note in notes:
        payload = as_json(note) | {"unread": unread_count(note.user_id)}
        socketio.emit("notification", payload, to=rooms.user(note.user_id))
    return notes


def mark_read(user_id: int, ids: list[int] | None = None) -> int:
    """Mark some (or all) of a person's notifications read; return how many changed."""
    query = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        query = query.where(Notification.id.in_(ids))
    result = db.session.execute(query.values(read_at=utcnow()))
    db.session.commit()
    return result.rowcount


def recent(user_id: int, unread_only: bool = False, limit: int = 50) -> list[Notification]:
    """A person's notifications, newest first."""
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(db.session.scalars(query.order_by(Notification.id.desc()).limit(limit)))
