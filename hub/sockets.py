"""Socket.IO: the connect handler (who is this?), room joins decided by hub.policy, each area's handlers.

A connection needs a signed-in session (the login cookie) or a personal access token passed as
`auth={"token": "hub_..."}`; anonymous clients are refused. Each person joins their own room
`user:<id>` on connect, and the room of their credential, `session:<id>` or `token:<id>`: ending the
sign-in or token (or disabling the person) closes those rooms' sockets on every process
(hub.socket_close). Other rooms are joined with one generic `join` event naming one payload key of
hub.rooms.JOINABLE, e.g. `{"customer_id": 3, "after": 120}` -> room `customer:3`. An area that
answers a join with more (a replay after the last seen id, say) says so from its init_app, next to
its own events:

    sockets.register_room("customer_id", rooms.CUSTOMER, on_join=replay)
    socketio.on_event("join_document", join_document)

A new kind of room also needs its pair in rooms.JOINABLE and a rule for its prefix in
policy.ROOM_RULES. The server checks `policy.can_join(user, room)` before joining; a refusal is an
error ack and the connection stays up.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, disconnect, join_room, leave_room
from sqlalchemy import select

from . import policy, rooms
from .auth import sessions
from .database import MAX_ID as DATABASE_MAX_ID
from .errors import ValidationError
from .extensions import db, socketio
from .ids import json_id
from .models import AccessToken, LoginSession, User
from .models.users import hash_token

log = logging.getLogger("hub.sockets")

AUTH_KEY = "hub_socket_auth"
MAX_ID = DATABASE_MAX_ID  # room ids are record ids: larger ones name nothing


@dataclass
class RoomKind:
    key: str  # payload key naming the id, e.g. "customer_id"
    prefix: str  # room prefix, e.g. "customer"
    on_join: Callable[[User, int, dict], dict] | None  # extra answer (e.g. a replay); may raise ValidationError


# Every joinable room (hub.rooms.JOINABLE); areas add what a join also answers.
ROOM_KINDS: dict[str, RoomKind] = {key: RoomKind(key, prefix, None) for key, prefix in rooms.JOINABLE.items()}


def register_room(key: str, prefix: str, on_join: Callable[[User, int, dict], dict] | None = None) -> None:
    """Have a `join` of `{key: id, ...}` into `<prefix>:<id>` also answer `on_join(user, id, data)`."""
    if rooms.JOINABLE.get(key) != prefix:
        raise ValueError(f"{key} -> {prefix} is not a joinable room of hub.rooms")
    ROOM_KINDS[key] = RoomKind(key, prefix, on_join or ROOM_KINDS[key].on_join)


def error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def _user_for_token(raw) -> tuple[User, AccessToken] | None:
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 200:
        return None
    token = db.session.scalar(select(AccessToken).where(AccessToken.token_hash == hash_token(raw.strip())))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    return token.user, token


def authenticate(auth) -> User | None:
    """Find the person behind a new connection; a token, when given, is judged alone."""
    if isinstance(auth, dict) and "token" in auth:
        found = _user_for_token(auth.get("token"))
        if found is None:
            return None
        user, token = found
        session[AUTH_KEY] = ["token", user.id, token.id]
        return user
    signed_in = sessions.current() if current_user.is_authenticated else None
    if signed_in is not None:
        session[AUTH_KEY] = ["cookie", current_user.id, signed_in.id]
        return current_user._get_current_object()
    return None


def credential_room(saved) -> str:
    """The room named for what let this socket in: ending that credential closes the room's sockets."""
    how, _user_id, ident = saved
    return rooms.session(ident) if how == "cookie" else rooms.token(ident)


def socket_user() -> User | None:
    """The connection's person, checked again on every event (a revoked token or a sign-out ends it)."""
    saved = session.get(AUTH_KEY)
    if not saved:
        return None
    how, user_id, check = saved
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    if how == "cookie":
        row = db.session.get(LoginSession, check)
        if row is None or row.user_id != user.id or not sessions.is_live(row):
            return None
    if how == "token":
        token = db.session.get(AccessToken, check)
        if token is None or token.revoked_at is not None or token.user_id != user.id:
            return None
    return user


def _room_from(data) -> tuple[RoomKind, int] | dict:
    if not isinstance(data, dict):
        return error("bad_request", _("Send an object such as {\"customer_id\": 3}."))
    kinds = [ROOM_KINDS[k] for k in data if k in ROOM_KINDS]
    if len(kinds) != 1:
        return error("bad_request", _("Name exactly one room: %(keys)s.", keys=", ".join(sorted(ROOM_KINDS))))
    kind = kinds[0]
    ident = json_id(data[kind.key])
    if ident is None:
        return error("bad_request", _("%(key)s must be a positive whole number.", key=kind.key))
    return kind, ident


def on_connect(auth=None):
    try:
        user = authenticate(auth)
    except Exception:  # never let a failure fall back to another way of signing in
        log.exception("socket authentication failed")
        user = None
    if user is None:
        raise ConnectionRefusedError("unauthorized")
    join_room(rooms.user(user.id))
    join_room(credential_room(session[AUTH_KEY]))
    # Read the credential again now that the socket is in its rooms: one ended meanwhile is either
    # seen here or closes the rooms after this point (hub.socket_close).
    db.session.expire_all()
    if socket_user() is None:
        raise ConnectionRefusedError("unauthorized")
    log.debug("socket %s connected as user %s", request.sid, user.id)


def on_join(data=None):
    user = socket_user()
    if user is None:
        disconnect()
        return error("unauthorized", _("Please sign in first."))
    found = _room_from(data)
    if isinstance(found, dict):
        return found
    kind, ident = found
    room = rooms.name(kind.prefix, ident)
    if not policy.can_join(user, room):
        log.info("user %s refused room %s", user.id, room)
        return error("forbidden", _("You may not join this room."))
    # Join first, then read: an event committed meanwhile arrives twice (the client drops the copy)
    # rather than not at all.
    join_room(room)
    answer = {"ok": True, "room": room}
    if kind.on_join is not None:
        try:
            answer |= kind.on_join(user, ident, data)
        except ValidationError as exc:
            leave_room(room)
            return error("invalid", exc.message)
    return answer


def on_leave(data=None):
    found = _room_from(data)
    if isinstance(found, dict):
        return found
    kind, ident = found
    leave_room(rooms.name(kind.prefix, ident))
    return {"ok": True}


def on_error(exc):
    log.exception("socket handler failed: %s", exc)
    return error("internal", _("Something went wrong on our side. It has been logged."))


def init_app(app: Flask) -> None:
    """Register the core handlers (the areas add theirs from their own init_app)."""
    socketio.on_event("connect", on_connect)
    socketio.on_event("join", on_join)
    socketio.on_event("leave", on_leave)
    socketio.on_error_default(on_error)
