"""Checking a sign-in without telling which e-mails exist, and the keys its rate limits count by."""

import hashlib
import secrets
from functools import lru_cache

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import User
from . import services


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash of a random password with the method real ones use, made once per process."""
    return generate_password_hash(secrets.token_urlsafe(16), method="scrypt")


def authenticate(email: str, password: str) -> User | None:
    """The person with this e-mail and password, if active. Every path does one scrypt check, so an
    unknown or disabled e-mail takes as long as a wrong password."""
    user = services.find_user(email)
    if user is None:
        check_password_hash(dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def normalised_email() -> str:
    return (request.form.get("email") or "").strip().lower()


def email_key() -> str:
    # Hashed: a bounded key whatever was typed, and no addresses in Redis.
    return "email:" + hashlib.sha256(normalised_email().encode()).hexdigest()[:32]


def address_key() -> str:
    return "ip:" + (get_remote_address() or "-")


def person_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return address_key()  # the route policy turns the anonymous caller away after this


def failed_sign_in(response) -> bool:
    """Only refused passwords count: colleagues signing in behind one NAT never use up the limit."""
    return response.status_code == 401


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def login_address_limit() -> str:
    return current_app.config["LOGIN_IP_RATE_LIMIT"]


def password_limit() -> str:
    return current_app.config["PASSWORD_RATE_LIMIT"]
