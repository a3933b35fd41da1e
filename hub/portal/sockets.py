"""Socket.IO for the portal: room `portal:<account id>` (the conversation), and cutting customers off.

`join {"portal_id": <account id>, "after": <last message id>}` subscribes (policy.can_join admits the
account's own customer users and staff who serve it) and replays the messages missed. When access
ends (a share revoked or expired, a user or account disabled) the people concerned get a
`portal_closed` event and their connections are closed by the server: a page already open stops
receiving anything and must reconnect, which re-checks who they are. The room and the session hooks
(SESSION_HOOKS) are declared in this area's init_app.
"""

import logging

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from .. import rooms, socket_close
from ..database import MAX_ID
from ..errors import ValidationError
from ..extensions import db, socketio
from ..models import CustomerAccount, PortalMessage, User
from .services import message_json

log = logging.getLogger("hub.portal")

REPLAY_LIMIT = 200
CLOSING = "hub_portal_closing"


def replay(user, account_id: int, data: dict) -> dict:
    """Answer a join with the conversation after the client's last seen message id."""
    after = data.get("after") or 0
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= MAX_ID:
        raise ValidationError(_("after must be zero or a positive message id."))
    rows = list(db.session.scalars(
        select(PortalMessage).where(PortalMessage.account_id == account_id, PortalMessage.id > after)
        .order_by(PortalMessage.id).limit(REPLAY_LIMIT)
    ))
    return {"portal_id": account_id, "messages": [message_json(m) for m in rows],
            "last_id": rows[-1].id if rows else after}


def _customer_ids(account_id: int) -> list[int]:
    return list(db.session.scalars(select(User.id).where(User.account_id == account_id, User.role == "customer")))


def disconnect_users(user_ids, reason: str, payload: dict | None = None) -> None:
    """Tell each person's sockets why, then close every connection of theirs, on every server process.

    The `portal_closed` event and the close both travel through the Redis message queue when one is
    configured (hub.socket_close), in that order, so an open page on any process learns why and is cut
    off; each later event of any socket re-checks the person too (hub.sockets.socket_user).
    """
    user_ids = list(dict.fromkeys(user_ids))
    for user_id in user_ids:
        socketio.emit("portal_closed", {"reason": reason} | (payload or {}), to=rooms.user(user_id))
    socket_close.close_now(*(rooms.user(user_id) for user_id in user_ids))
    if user_ids:
        log.info("portal: closed the sockets of users %s (%s)", user_ids, reason)


def close_documents(account_id: int, document_ids: list[int]) -> None:
    """Shares ended: the account's customer users lose those documents, open pages included."""
    disconnect_users(_customer_ids(account_id), "share_ended", {"document_ids": document_ids})


# A user or an account switched off (by the admin pages or anywhere else): cut their sockets after commit.


def _note_disabled(session: Session, _ctx) -> None:
    for obj in session.dirty:
        if isinstance(obj, User | CustomerAccount) and obj.active is False:
            history = inspect(obj).attrs.active.history
            if history.has_changes():
                session.info.setdefault(CLOSING, set()).add((type(obj).__name__, obj.id))


def _forget(session: Session) -> None:
    session.info.pop(CLOSING, None)


def _close_disabled(session: Session) -> None:
    closing = session.info.pop(CLOSING, None)
    if not closing or not has_app_context():
        return
    users = [ident for kind, ident in closing if kind == "User"]
    accounts = [ident for kind, ident in closing if kind == "CustomerAccount"]
    try:
        with current_app.app_context():  # a fresh session: this one cannot run SQL during after_commit
            for account_id in accounts:
                users += _customer_ids(account_id)
            disconnect_users(users, "disabled")
    except Exception:  # noqa: BLE001 - the change is committed; each socket event re-checks the person
        log.exception("portal: closing sockets of disabled users failed")


SESSION_HOOKS = (("after_flush", _note_disabled), ("after_rollback", _forget), ("after_commit", _close_disabled))
