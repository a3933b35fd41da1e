"""Assessments: internal judgement about a customer. Staff who may see the account read and write it;
customer users never reach it (STAFF routes answer them 403, and the account page's panel is staff-only)."""

from __future__ import annotations

from sqlalchemy import false, true

from ..models import CustomerAccount, User
from .customers import can_view_customer


def can_view_assessments(user: User, account) -> bool:
    """Whoever may see the account sees its assessments (staff; disabled accounts: admins)."""
    return can_view_customer(user, account)


def can_assess(user: User, account) -> bool:
    """Staff who may see the account score it and record its past business, while the account is active."""
    return can_view_customer(user, account) and account.active


def assessable_accounts(user: User):
    """A SQL condition on CustomerAccount that keeps what `can_view_assessments` admits (for the overview)."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return false()
    return true() if user.is_admin else CustomerAccount.active
