"""One-time password reset links: an admin makes one, the person opens it and sets a new password.

No e-mail server is needed: the admin sees the link once and passes it on. Only the token's hash is
stored; a link works once, until it expires, and a newer link for the same person replaces it.
"""

import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import ValidationError
from ..extensions import db
from ..models import User, utcnow
from ..models.users import PasswordReset, hash_token
from . import services, sessions

MAX_TOKEN_CHARS = 200  # longer input is not one of ours: refused before hashing


def _lifetime() -> timedelta:
    return timedelta(hours=current_app.config["PASSWORD_RESET_HOURS"])


def issue(user: User, by: User | None) -> str:
    """Make a reset link token for an active person, replacing any unused one; commit; the raw token is
    returned once and never stored."""
    if not user.active:
        raise ValidationError(_("%(name)s is disabled: enable the account before making a reset link.",
                                name=user.name))
    services.drop_reset_links(user)
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(PasswordReset(user_id=user.id, token_hash=hash_token(raw), created_by_id=by.id if by else None,
                                 created_at=now, expires_at=now + _lifetime()))
    db.session.commit()
    return raw


def find_usable(raw: str | None) -> PasswordReset | None:
    """The unused, unexpired link of an active person behind this token, else None (whatever the reason:
    the reader learns only 'invalid or expired')."""
    if not raw or len(raw) > MAX_TOKEN_CHARS:
        return None
    link = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == hash_token(raw)))
    if link is None or link.used_at is not None or link.expires_at <= utcnow() or not link.user.active:
        return None
    return link


def use(link: PasswordReset, password: str) -> User:
    """Set the new password, mark the link used, end every sign-in and token of the person, open a
    fresh sign-in for this device and commit; the view then calls login_user."""
    if len(password) < services.MIN_PASSWORD:
        raise ValidationError(_("A password needs at least %(n)d characters.", n=services.MIN_PASSWORD))
    user = link.user
    link.used_at = utcnow()
    db.session.flush()  # marked used before change_password drops the unused links
    services.change_password(user, password)
    sessions.start(user)
    db.session.commit()
    return user


def open_links(users: list[User]) -> dict[int, datetime]:
    """The expiry of each person's usable link, for the admin page."""
    if not users:
        return {}
    rows = db.session.execute(
        select(PasswordReset.user_id, PasswordReset.expires_at).where(
            PasswordReset.user_id.in_([u.id for u in users]),
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > utcnow(),
        )
    )
    return {user_id: expires for user_id, expires in rows}
