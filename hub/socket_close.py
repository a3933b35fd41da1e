"""Closing live sockets when the credential they were opened with ends, on every server process.

Each socket sits in rooms named for what let it in: `user:<id>` (the person), `session:<id>` (a
sign-in) or `token:<id>` (a personal access token). `close_after_commit("token:7")` disconnects every
socket in that room once the transaction that ended the credential commits.

python-socketio's managers can disconnect one sid anywhere, but only list a room's members on the
process holding them, and `close_room` merely empties a room. So a close travels as a `close_room`
message for a marked room name (through the Redis message queue when one is configured); each
process, on receiving it, disconnects its own members of the real room.
"""

import logging

import socketio
from sqlalchemy import event
from sqlalchemy.orm import Session

from .config import socketio_channel

log = logging.getLogger("hub.sockets")

MARK = "hub-close|"  # never a real room name: clients cannot name rooms
PENDING = "hub_sockets_to_close"


class _Closing:
    """Disconnect this process's members of a room; remember sockets still inside their connect handler."""

    def _close_local(self, room: str, namespace: str) -> None:
        for sid, _eio_sid in list(self.get_participants(namespace, room)):
            if self.is_pre_connected(sid, namespace):
                # Its connect handler has joined the room but not returned: close it once it has.
                self._doomed.add(sid)
                continue
            try:
                self.server.disconnect(sid, namespace=namespace, ignore_queue=True)
            except Exception:  # noqa: BLE001 - a socket that went away meanwhile
                log.debug("socket %s was already gone", sid)
        log.info("closed the sockets of room %s", room)

    def connect(self, sid, namespace):
        super().connect(sid, namespace)
        if sid in self._doomed:
            self._doomed.discard(sid)
            self.server.disconnect(sid, namespace=namespace, ignore_queue=True)


class LocalManager(_Closing, socketio.Manager):
    """One process, no message queue."""

    def __init__(self):
        super().__init__()
        self._doomed: set[str] = set()

    def close_sockets(self, room: str, namespace: str = "/") -> None:
        self._close_local(room, namespace)


class QueueManager(_Closing, socketio.RedisManager):
    """Several processes sharing Redis: the close reaches each of them."""

    def __init__(self, url: str, **kwargs):
        super().__init__(url, **kwargs)
        self._doomed: set[str] = set()

    def close_sockets(self, room: str, namespace: str = "/") -> None:
        self.close_room(MARK + room, namespace)  # handled here and published to the other processes

    def _handle_close_room(self, message):
        room = message.get("room") or ""
        if room.startswith(MARK):
            self._close_local(room[len(MARK):], message.get("namespace") or "/")
        else:
            super()._handle_close_room(message)


def make_manager(redis_url: str | None):
    if redis_url:
        return QueueManager(redis_url, channel=socketio_channel(redis_url))
    return LocalManager()


def close_now(*rooms: str) -> None:
    from .extensions import socketio as flask_socketio

    manager = getattr(flask_socketio.server, "manager", None)
    if not isinstance(manager, _Closing):
        return
    for room in dict.fromkeys(rooms):
        try:
            manager.close_sockets(room)
        except Exception:  # noqa: BLE001 - the credential has ended; each later socket event re-checks it
            log.exception("closing the sockets of room %s failed", room)


def close_after_commit(session: Session, *rooms: str) -> None:
    """Close the rooms' sockets when this transaction commits (not at all if it rolls back)."""
    session.info.setdefault(PENDING, []).extend(rooms)


def _close_pending(session: Session) -> None:
    rooms = session.info.pop(PENDING, None)
    if rooms:
        close_now(*rooms)


def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def init_app(app) -> None:
    """Run the closes a transaction asked for once it commits (drop them when it rolls back)."""
    for name, hook in (("after_commit", _close_pending), ("after_rollback", _forget)):
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
