"""Sign-ins kept on the server: one LoginSession row per sign-in, named by a random key in the cookie.

The Flask session cookie (and Flask-Login's remember cookie, when there is one) carries only the key;
a request is signed in while the row exists and is neither idle too long nor too old. Ending a
sign-in deletes the row and closes the sockets it opened (room `session:<id>`).
"""

import secrets
from datetime import datetime, timedelta

from flask import current_app, g, has_request_context, request
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload

from .. import rooms
from ..extensions import db
from ..models import LoginSession, User, utcnow
from ..models.users import hash_token
from ..socket_close import close_after_commit

TOUCH_EVERY = timedelta(minutes=1)  # "last seen" is written at most once a minute per sign-in


def _limits() -> tuple[timedelta, timedelta]:
    config = current_app.config
    return timedelta(days=config["SESSION_IDLE_DAYS"]), timedelta(days=config["SESSION_ABSOLUTE_DAYS"])


def _cutoffs(now: datetime) -> tuple[datetime, datetime]:
    idle, absolute = _limits()
    return now - idle, now - absolute


def is_live(row: LoginSession, now: datetime | None = None) -> bool:
    seen_after, created_after = _cutoffs(now or utcnow())
    return row.last_seen_at > seen_after and row.created_at > created_after


def start(user: User) -> LoginSession:
    """Open a sign-in for this request's device (flushed); `sign_in` commits it."""
    now = utcnow()
    seen_after, created_after = _cutoffs(now)
    # The person's expired rows go now: nothing else needs them, and the table stays small.
    db.session.execute(delete(LoginSession).where(
        LoginSession.user_id == user.id,
        or_(LoginSession.last_seen_at <= seen_after, LoginSession.created_at <= created_after),
    ))
    key = secrets.token_urlsafe(32)
    agent, ip = "", ""
    if has_request_context():
        agent = (request.user_agent.string or "")[:255]
        ip = (request.remote_addr or "")[:45]
    row = LoginSession(user_id=user.id, key_hash=hash_token(key), user_agent=agent, ip=ip,
                       created_at=now, last_seen_at=now)
    db.session.add(row)
    db.session.flush()
    user.login_key = key
    g.hub_login_session = row
    return row


def resolve(key: str) -> User | None:
    """The person behind a cookie's key, or None when the sign-in has ended, expired or the person is disabled."""
    if not key or len(key) > 200:
        return None
    # The person and their departments come in the same statement: every signed-in request needs them.
    row = db.session.execute(
        select(LoginSession).options(joinedload(LoginSession.user).joinedload(User.memberships))
        .where(LoginSession.key_hash == hash_token(key))
    ).unique().scalar_one_or_none()
    if row is None or not row.user.active:
        return None
    now = utcnow()
    if not is_live(row, now):
        db.session.delete(row)
        db.session.commit()
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        db.session.execute(update(LoginSession).where(LoginSession.id == row.id).values(last_seen_at=now))
        db.session.commit()
    user = row.user
    user.login_key = key
    g.hub_login_session = row
    return user


def current() -> LoginSession | None:
    """The sign-in this request runs under (None for token requests and anonymous ones)."""
    return g.get("hub_login_session") if has_request_context() else None


def live_for(user: User) -> list[LoginSession]:
    seen_after, created_after = _cutoffs(utcnow())
    return list(db.session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id, LoginSession.last_seen_at > seen_after,
                                   LoginSession.created_at > created_after)
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
    ))


def end(row: LoginSession) -> None:
    """End one sign-in; its sockets close after commit."""
    close_after_commit(db.session, rooms.session(row.id))
    db.session.delete(row)


def end_all(user: User) -> int:
    """End every sign-in of this person (their tokens stay); the sockets close after commit."""
    ids = list(db.session.scalars(select(LoginSession.id).where(LoginSession.user_id == user.id)))
    close_after_commit(db.session, *(rooms.session(i) for i in ids))
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    return len(ids)


def sign_in(user: User) -> LoginSession:
    """Open and commit a sign-in for this device; the view then calls login_user(user)."""
    row = start(user)
    db.session.commit()
    return row


def sign_out(row: LoginSession | None) -> None:
    """End one sign-in for good (copies of its cookie stop working); nothing to do without one."""
    if row is not None:
        end(row)
        db.session.commit()


def sign_out_everywhere(user: User) -> None:
    end_all(user)
    db.session.commit()
