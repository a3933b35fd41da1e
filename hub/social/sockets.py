"""Socket.IO handlers of the social area: readers of a document listen to its room `doc:<id>`.

`register(socketio)` binds the handlers to the app's Socket.IO server; the social blueprint calls it
each time it is registered on an app (a decorator at import time would bind them to the first app's
server only, and every later app, as in the tests, would silently lack them). Two ways in, both
decided by hub.policy.can_join (ROOM_RULES["doc"]):
- the generic `join` event of hub.sockets with `{"document_id": ID}`;
- `join_document` with `{"document_id": ID}`, kept as the social area's own name for it.
"""

from flask_login import current_user
from flask_socketio import join_room, leave_room

from .. import policy
from .. import sockets as core
from .notices import document_room

core.register_room("document_id", "doc")


def _document_id(data) -> int | None:
    value = data.get("document_id") if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= core.MAX_ID:
        return None
    return value


def _caller():
    user = core.socket_user()
    if user is None and current_user.is_authenticated:
        user = current_user._get_current_object()
    return user


def join_document(data=None):
    """Join `doc:<id>` when the caller may read the document; unknown and hidden answer alike."""
    user = _caller()
    if user is None:
        return core.error("unauthorized", "Please sign in first.")
    doc_id = _document_id(data)
    if doc_id is None:
        return core.error("bad_request", "document_id must be a positive whole number.")
    room = document_room(doc_id)
    if not policy.can_join(user, room):
        return core.error("not_found", "Not found.")
    join_room(room)
    return {"ok": True, "room": room}


def leave_document(data=None):
    doc_id = _document_id(data)
    if doc_id is None:
        return core.error("bad_request", "document_id must be a positive whole number.")
    leave_room(document_room(doc_id))
    return {"ok": True}


def register(server) -> None:
    """Bind this area's events to a Flask-SocketIO instance (once per app)."""
    server.on_event("join_document", join_document)
    server.on_event("leave_document", leave_document)
