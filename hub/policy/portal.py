"""The customer VIP portal: a customer user reaches only rows of their own (active) account, and
documents only through an active share (not revoked, not expired) of that account. Staff serve it."""

from __future__ import annotations

from ..extensions import db
from ..models import AccountMember, CustomerAccount, User
from ..portal.share_queries import active_share
from .customers import can_post_event, can_view_customer


def portal_account(user: User):
    """The account whose portal this person may use, or None (not a customer, disabled, no account)."""
    if not getattr(user, "is_authenticated", False) or not user.is_customer or not user.active:
        return None
    account = user.account
    return account if account is not None and account.active else None


def shared_with_customer(user: User, document) -> bool:
    """A customer user sees a document while an active share grants it to their (active) account."""
    account = portal_account(user)
    return account is not None and active_share(account.id, document.id) is not None


def can_download_shared(user: User, document) -> bool:
    account = portal_account(user)
    share = active_share(account.id, document.id) if account is not None else None
    return share is not None and share.allow_download


def can_serve_account(user: User, account) -> bool:
    """Post announcements, answer the conversation and portal requests: staff on an active account."""
    return can_post_event(user, account)


def can_view_engagement(user: User, account) -> bool:
    """What the customer's people read: the account owner, its team and service contacts, admins."""
    if not can_view_customer(user, account):
        return False
    if user.is_admin or account.owner_id == user.id:
        return True
    return db.session.query(AccountMember).filter_by(account_id=account.id, user_id=user.id).first() is not None


def join_portal_room(user: User, ident: int) -> bool:
    """`portal:<account id>`: that account's customer users, and staff who serve it."""
    if user.is_customer:
        account = portal_account(user)
        return account is not None and account.id == ident
    account = db.session.get(CustomerAccount, ident)
    return account is not None and can_serve_account(user, account)
