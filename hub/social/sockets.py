"""Socket.IO handlers of the social area: readers of a document listen to its room `doc:<id>`.

hub.social.init_app binds them to each app's Socket.IO server and registers the room with hub.sockets
(binding at import time would reach the first app's server only). Two ways in, both decided by
hub.policy.can_join (ROOM_RULES["doc"]):
- the generic `join` event of hub.sockets with `{"document_id": ID}`;
- `join_document` with `{"document_id": ID}`, kept as the social area's own name for it.
"""

from flask_login import current_user
from flask_socketio import join_room, leave_room

from .. import policy, rooms
from .. import sockets as core


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
    room = rooms.document(doc_id)
    if not policy.can_join(user, room):
        return core.error("not_found", "Not found.")
    join_room(room)
    return {"ok": True, "room": room}


def leave_document(data=None):
    doc_id = _document_id(data)
    if doc_id is None:
        return core.error("bad_request", "document_id must be a positive whole number.")
    leave_room(rooms.document(doc_id))
    return {"ok": True}
