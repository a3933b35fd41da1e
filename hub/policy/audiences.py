"""Audiences: who may call an endpoint at all (the values of ROUTES)."""

from __future__ import annotations

# From widest to narrowest.
PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"  # any signed-in person, customers included
STAFF = "staff"  # staff and admins: the internal hub
ADMIN = "admin"
CUSTOMER = "customer"  # customer users only: their portal


def role_of(user) -> str:
    """Name the audience a person falls in: anonymous, customer, staff or admin."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return user.role


def audience_admits(audience: str, role: str) -> bool:
    """Decide whether a person of `role` belongs to `audience`."""
    if audience == PUBLIC:
        return True
    if role == "anonymous":
        return False
    return {
        SIGNED_IN: True,
        STAFF: role in ("staff", "admin"),
        ADMIN: role == "admin",
        CUSTOMER: role == "customer",
    }[audience]
