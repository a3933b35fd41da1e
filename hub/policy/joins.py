"""Socket.IO rooms `<prefix>:<id>` (names in hub.rooms): one rule (user, id) -> bool per prefix, each
kept with its area's rules. A prefix without a rule is refused."""

from __future__ import annotations

from .. import rooms
from ..ids import parse_id
from ..models import User
from .accounts import join_user_room
from .customers import join_customer_room
from .documents import join_document_room
from .portal import join_portal_room

ROOM_RULES = {
    rooms.USER: join_user_room,
    rooms.CUSTOMER: join_customer_room,
    rooms.DOCUMENT: join_document_room,
    rooms.PORTAL: join_portal_room,
}
INTERNAL_ROOM_PREFIXES = {rooms.CUSTOMER, rooms.DOCUMENT}  # staff-only rooms: customer users never join these


def can_join(user: User, room: str) -> bool:
    """Decide whether a person may listen to a Socket.IO room; unknown or malformed rooms are refused."""
    if not getattr(user, "is_authenticated", False) or not isinstance(room, str):
        return False
    prefix, _, raw_id = room.partition(":")
    ident = parse_id(raw_id)
    if ident is None or str(ident) != raw_id:  # ASCII digits only, and one spelling per room
        return False
    if user.is_customer and prefix in INTERNAL_ROOM_PREFIXES:
        return False
    rule = ROOM_RULES.get(prefix)
    return rule is not None and rule(user, ident)
