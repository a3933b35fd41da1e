"""Every permission decision in Hub.

Two layers, both here:
- ROUTES gives each endpoint an audience (who may call it at all). The app refuses
  every request whose endpoint has no entry, so a new route without a decision fails
  closed, and the route x role test fails until one is written here.
- Object rules (`can_*`, `visible_*`) decide about one record: views load the record,
  ask here, and answer 404 when the person may not even know it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Department, Post, Question, User

# Audiences, from widest to narrowest.
PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"  # any signed-in person, customers included
STAFF = "staff"  # staff and admins: the internal hub
ADMIN = "admin"
CUSTOMER = "customer"  # customer users only: their portal

ROUTES: dict[str, str] = {
    "static": PUBLIC,
    "vendor": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": SIGNED_IN,
    "auth.set_language": PUBLIC,
    "auth.profile": SIGNED_IN,
    "auth.create_token": SIGNED_IN,
    "auth.revoke_token": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "main.home": SIGNED_IN,  # customers are sent on to their portal
    "main.people": STAFF,
    "main.customers": STAFF,
    "main.search": STAFF,
    "admin.index": ADMIN,
    "admin.create_user": ADMIN,
    "admin.toggle_user": ADMIN,
    "admin.create_department": ADMIN,
    "admin.toggle_department": ADMIN,
    "admin.create_account": ADMIN,
    "admin.toggle_account": ADMIN,
    "departments.index": STAFF,
    "departments.show": STAFF,
    "departments.create_post": STAFF,
    "departments.show_post": STAFF,
    "departments.ask": STAFF,
    "departments.show_question": STAFF,
    "departments.answer": STAFF,
    "departments.accept": STAFF,
    "portal.home": CUSTOMER,
    "api.openapi": PUBLIC,
    "api.get_me": SIGNED_IN,
    "api.list_departments": STAFF,
    "api.get_department": STAFF,
    "api.list_posts": STAFF,
    "api.create_post": STAFF,
    "api.create_question": STAFF,
    "api.get_question": STAFF,
    "api.create_answer": STAFF,
    "api.accept_answer": STAFF,
}


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


def route_audience(endpoint: str | None) -> str | None:
    """Return the audience of an endpoint, or None when no decision was written."""
    return ROUTES.get(endpoint or "")


# --- object rules --------------------------------------------------------------


def can_view_department(user: User, department: Department) -> bool:
    return user.is_staff and (department.active or user.is_admin)


def can_post_in(user: User, department: Department) -> bool:
    """Experience notes are written by the department's own members (and admins)."""
    return can_view_department(user, department) and (
        user.is_admin or department.id in user.department_ids
    )


def can_ask_in(user: User, department: Department) -> bool:
    return can_view_department(user, department) and department.active


def can_view_post(user: User, post: Post) -> bool:
    return can_view_department(user, post.department)


def can_view_question(user: User, question: Question) -> bool:
    return can_view_department(user, question.department)


def can_answer(user: User, question: Question) -> bool:
    return can_view_question(user, question) and question.department.active


def can_accept_answer(user: User, question: Question) -> bool:
    """The asker, a member of the question's department, or an admin picks the accepted answer."""
    return can_view_question(user, question) and (
        user.is_admin or user.id == question.author_id or question.department_id in user.department_ids
    )


def can_manage(user: User) -> bool:
    """Create and disable users, departments and customer accounts."""
    return user.is_admin
