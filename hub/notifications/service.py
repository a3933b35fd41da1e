"""Tell people things: store a notification, then push it to the person's own Socket.IO room.

Callers commit their own work first; `notify` stores the row, commits, then emits, so a
person who is offline finds it on the next page load and nobody receives an uncommitted event.
"""

from flask_babel import force_locale
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import joinedload

from .. import rooms
from ..extensions import db, socketio
from ..i18n import LANGUAGES
from ..models import Notification, User, utcnow
from ..models.base import iso


def as_json(note: Notification) -> dict:
    """The notification for the API and the live push, worded in the current locale."""
    return {
        "id": note.id,
        "kind": note.kind,
        "text": note.text,
        "params": note.params or {},
        "url": note.url,
        "actor": None if note.actor is None else {"id": note.actor.id, "name": note.actor.name},
        "created_at": iso(note.created_at),
        "read": note.read_at is not None,
    }


def unread_count_query(user_id: int):
    return select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )


def unread_count(user_id: int) -> int:
    return db.session.scalar(unread_count_query(user_id))


def rows_for(user_ids, kind: str, params: dict, url: str = "", actor_id: int | None = None) -> list[dict]:
    """One notification per person (never the actor themself), as rows for `store`.

    `kind` names a message of hub.notifications.messages and `params` holds its values: the row is
    worded when shown, so each reader gets their own language.
    """
    return [dict(user_id=user_id, kind=kind, params=dict(params), url=url[:300], actor_id=actor_id)
            for user_id in dict.fromkeys(user_ids)  # de-duplicated, order kept
            if user_id is not None and user_id != actor_id]


def store(rows: list[dict]) -> list[int]:
    """Add the rows to the caller's transaction in one INSERT (not one per person); their ids."""
    if not rows:
        return []
    return list(db.session.scalars(insert(Notification).returning(Notification.id), rows))


def notify(user_ids, kind: str, params: dict, url: str = "", actor_id: int | None = None) -> list[int]:
    """Store one notification per person (never the actor themself), commit, then push them live."""
    ids = store(rows_for(user_ids, kind, params, url, actor_id))
    if ids:
        db.session.commit()
        deliver(ids)
    return ids


def deliver(note_ids: list[int]) -> None:
    """Push committed notifications live: the rows with their people in one statement, the unread counts
    in one more, however many people are told (a busy account has dozens of followers)."""
    if not note_ids:
        return
    notes = db.session.scalars(
        select(Notification).options(joinedload(Notification.user), joinedload(Notification.actor))
        .where(Notification.id.in_(note_ids)).order_by(Notification.id)
    ).all()
    people = {note.user_id for note in notes}
    unread = dict(db.session.execute(
        select(Notification.user_id, func.count()).where(Notification.user_id.in_(people),
                                                         Notification.read_at.is_(None))
        .group_by(Notification.user_id)
    ).all())
    for note in notes:
        _emit(note, unread.get(note.user_id, 0))


def set_language(user: User, code: str) -> None:
    """Remember the language a person chose in the UI: what they are told live is worded in it."""
    if code in LANGUAGES and user.language != code:
        user.language = code
        db.session.commit()


def _emit(note: Notification, unread: int) -> None:
    """Send one stored notification to its person's sockets, worded in the language they last chose."""
    with force_locale(note.user.language or "zh"):
        payload = as_json(note)
    socketio.emit("notification", payload | {"unread": unread}, to=rooms.user(note.user_id))


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
    # the list names each actor: joined, not loaded per row
    query = select(Notification).options(joinedload(Notification.actor)).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(db.session.scalars(query.order_by(Notification.id.desc()).limit(limit)))
