"""How a request finds its person: the login cookie, or a personal access token."""

from functools import cache

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..extensions import db, login_manager
from ..models import AccessToken, Membership, User, utcnow
from ..models.users import hash_token
from . import sessions


def load_from_cookie(key: str) -> User | None:
    """Resolve the sign-in key held by the session or remember cookie; an ended sign-in is refused."""
    return sessions.resolve(key)


@cache
def _token_statement():
    """The person, their departments and the token's state come in the same statement: every token
    request needs them (policy asks for department_ids on nearly every route). Built once: making the
    select with its joinedload options and their cache key each time cost as much as running it. The
    token as columns, not an object, and memberships without their joined-back user (it is the one
    loaded here, found in the identity map): one loader level less to set up per request."""
    return (
        select(User, AccessToken.id.label("token_id"), AccessToken.revoked_at, AccessToken.last_used_at)
        .join(AccessToken, AccessToken.user_id == User.id)
        .options(joinedload(User.memberships).lazyload(Membership.user))
        .where(AccessToken.token_hash == bindparam("token_hash"))
    )


def load_from_token(req) -> User | None:
    header = req.environ.get("HTTP_AUTHORIZATION", "")  # as req.headers gives it, without a KeyError when absent
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    # Read afresh on every request, never cached: a revoked token is refused on the next one everywhere.
    found = db.session.execute(
        _token_statement(), {"token_hash": hash_token(raw.strip())}
    ).unique().one_or_none()
    if found is None or found.revoked_at is not None or not found.User.active:
        return None
    now = utcnow()
    # One write a minute at most: tokens are used by scripts in tight loops.
    if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
        tokens = AccessToken.__table__
        db.session.execute(tokens.update().where(tokens.c.id == found.token_id).values(last_used_at=now))
        db.session.commit()
    return found.User


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in first.")
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_from_cookie)

    @login_manager.request_loader
    def _from_request(req):
        return load_from_token(req)

    @app.before_request
    def _token_beats_cookie():
        # A request that names a token is judged by that token alone, never by a cookie beside it.
        if request.environ.get("HTTP_AUTHORIZATION"):
            g._login_user = load_from_token(request) or AnonymousUserMixin()
