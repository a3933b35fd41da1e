"""Customer accounts and their feed (staff only), notifications, the `customer:<id>` room."""

from __future__ import annotations

from ..extensions import db
from ..models import CustomerAccount, User


def can_view_customer(user: User, account) -> bool:
    """Every staff member sees the customer accounts (disabled ones: admins only); customers never do."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return False
    return account.active or user.is_admin


def can_post_event(user: User, account) -> bool:
    """Staff write notes, calls, visits, tasks and help requests on any active account they can see."""
    return can_view_customer(user, account) and account.active


def can_log_complaint(user: User, account) -> bool:
    """Complaints are logged by service staff (and admins); customers submit theirs in the portal."""
    return can_post_event(user, account) and (user.is_admin or user.job == "service")


def can_edit_account(user: User, account) -> bool:
    """The owner and admins change an account's details, team and key contacts."""
    return can_view_customer(user, account) and (user.is_admin or account.owner_id == user.id)


def can_change_task(user: User, task) -> bool:
    """Complete, reopen or reassign a task: its author, its assignee, the account owner or an admin."""
    return can_post_event(user, task.account) and (
        user.is_admin or user.id in (task.author_id, task.assignee_id, task.account.owner_id)
    )


def can_reply_request(user: User, request) -> bool:
    return can_post_event(user, request.account)


def can_solve_request(user: User, request) -> bool:
    """Mark a help request solved (or open again): the asker, the person or department asked, an admin."""
    return can_post_event(user, request.account) and (
        user.is_admin
        or user.id in (request.author_id, request.to_user_id)
        or (request.to_department_id is not None and request.to_department_id in user.department_ids)
    )


def can_acknowledge(user: User, complaint) -> bool:
    """The account owner acknowledges a complaint (admins may stand in)."""
    return can_view_customer(user, complaint.account) and (
        user.is_admin or user.id == complaint.account.owner_id
    )


def can_read_notification(user: User, note) -> bool:
    return note.user_id == user.id


def join_customer_room(user: User, ident: int) -> bool:
    """`customer:<id>`: the account's live feed, for staff who may see the account."""
    account = db.session.get(CustomerAccount, ident)
    return account is not None and can_view_customer(user, account)
