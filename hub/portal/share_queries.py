"""Which documents an account's shares grant right now: the queries behind the portal's permission rules.

A share grants while it is not revoked and not expired; the newest one counts.
"""

from __future__ import annotations

from sqlalchemy import false, or_, select

from ..extensions import db
from ..models import Document, Share, utcnow


def active_share(account_id: int | None, document_id: int) -> Share | None:
    """The share granting a document to an account right now (not revoked, not expired), or None."""
    if account_id is None:
        return None
    return db.session.scalar(
        select(Share)
        .where(
            Share.account_id == account_id,
            Share.document_id == document_id,
            Share.revoked_at.is_(None),
            or_(Share.expires_at.is_(None), Share.expires_at > utcnow()),
        )
        .order_by(Share.id.desc())
        .limit(1)
    )


def shared_documents_condition(account_id: int | None):
    """A SQL condition on Document: shared with the account right now (nothing for no account)."""
    if account_id is None:
        return false()
    active = select(Share.document_id).where(
        Share.account_id == account_id,
        Share.revoked_at.is_(None),
        or_(Share.expires_at.is_(None), Share.expires_at > utcnow()),
    )
    return Document.id.in_(active)
