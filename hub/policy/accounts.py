"""Sign-ins, people and accounts administration, health details; a person's own socket room."""

from __future__ import annotations

from ..models import User
from .audiences import role_of


def can_manage(user: User) -> bool:
    """Create and disable users, departments and customer accounts."""
    return user.is_admin


def can_make_reset_link(user: User, person: User) -> bool:
    """Admins make password reset links for active people (a disabled person cannot use one)."""
    return user.is_admin and person.active


def can_end_sign_in(user: User, login_session) -> bool:
    """Only the person signs out their own devices (admins disable a person instead)."""
    return login_session.user_id == user.id


def can_see_health_details(user, local_probe: bool) -> bool:
    """Free disk bytes and index counts help an attacker: admins and probes on the host itself only."""
    return local_probe or role_of(user) == "admin"


def join_user_room(user: User, ident: int) -> bool:
    """`user:<id>`: the person themselves."""
    return user.id == ident
