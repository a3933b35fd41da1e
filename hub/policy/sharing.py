"""Sharing documents with customer accounts: the staff side of the portal."""

from __future__ import annotations

from ..models import User
from .customers import can_post_event, can_view_customer
from .documents import can_view_document


def can_share_document(user: User, document, account) -> bool:
    """Staff who may read the document and see the (active) account grant it to that account."""
    return user.is_staff and can_view_document(user, document) and can_post_event(user, account)


def can_revoke_share(user: User, share) -> bool:
    """Whoever shared it, the document's owner, the account's owner, or an admin."""
    return user.is_staff and can_view_customer(user, share.account) and (
        user.is_admin or user.id in (share.created_by_id, share.document.owner_id, share.account.owner_id)
    )
