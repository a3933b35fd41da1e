"""Document shares: grant a document to customer accounts, revoke it, let it expire.

Each change reaches the search index (through hub.search.indexing) and, when access ends, the
customer's open pages (their sockets are told and disconnected; page images are re-checked on every
request anyway, so they stop loading at once).
"""

import logging
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import joinedload

from .. import policy
from ..errors import ValidationError
from ..extensions import db
from ..models import CustomerAccount, Document, Share, User, utcnow
from ..search import indexing
from ..search.kinds_documents import SHARE_PROVIDERS, register_share_provider
from . import sockets

log = logging.getLogger("hub.portal")


def naive_utc(value: datetime | None) -> datetime | None:
    """Stored times are naive UTC; an aware time is converted, a naive one taken as UTC."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def active_condition(now: datetime | None = None):
    now = now or utcnow()
    return (Share.revoked_at.is_(None), or_(Share.expires_at.is_(None), Share.expires_at > now))


def active_shares(account_id: int) -> list[Share]:
    """The shares an account may use right now, newest first (one per document)."""
    rows = db.session.scalars(
        select(Share).where(Share.account_id == account_id, *active_condition())
        # every caller lists each share's document and its current version: joined, not per row
        .options(joinedload(Share.document).joinedload(Document.current_version))
        .order_by(Share.id.desc())
    )
    seen, out = set(), []
    for share in rows:
        if share.document_id not in seen:
            seen.add(share.document_id)
            out.append(share)
    return out


# A document's shares with the account and the colleague each names; built once (every document page asks).
_STILL_GRANTS = (
    Share.document_id == bindparam("document_id"),
    Share.revoked_at.is_(None),
    or_(Share.expires_at.is_(None), Share.expires_at > bindparam("now")),  # as active_condition
)
_DOCUMENT_SHARES = (
    select(Share)
    .options(joinedload(Share.account), joinedload(Share.created_by))
    .where(*_STILL_GRANTS)
    .order_by(Share.id.desc())
)


def document_shares(document: Document) -> list[Share]:
    """Every share of a document that still grants access (the API's list)."""
    return list(db.session.scalars(_DOCUMENT_SHARES, {"document_id": document.id, "now": utcnow()}))


# What the staff share panel shows of each of those shares, as plain rows (parameters document_id, now),
# newest first by `pos`: the columns ShownShare reads, the account's and the creator's in one join.
DOCUMENT_SHARE_ROWS = (
    select(
        Share.id, Share.allow_download, Share.expires_at, Share.created_by_id, CustomerAccount.name,
        CustomerAccount.active, CustomerAccount.owner_id, User.name.label("created_by_name"),
        func.row_number().over(order_by=Share.id.desc()).label("pos"),
    )
    .join(CustomerAccount, CustomerAccount.id == Share.account_id)
    .outerjoin(User, User.id == Share.created_by_id)
    .where(*_STILL_GRANTS)
)


def accounts_for(document_ids: list[int]) -> dict[int, list[int]]:
    """The search index's share provider: which accounts may find each document right now."""
    if not document_ids:
        return {}
    rows = db.session.execute(
        select(Share.document_id, Share.account_id).where(Share.document_id.in_(document_ids), *active_condition())
    )
    out: dict[int, list[int]] = {}
    for doc_id, account_id in rows:
        if account_id not in out.setdefault(doc_id, []):
            out[doc_id].append(account_id)
    return out


def install() -> None:
    """Tell the search index about shares (once per process; each new app makes sure of it again)."""
    if accounts_for not in SHARE_PROVIDERS:
        register_share_provider(accounts_for)


def share(document: Document, account: CustomerAccount, actor: User, expires_at: datetime | None = None,
          allow_download: bool = False) -> Share:
    """Grant a document to an account (a share already active is replaced by the new terms); commit."""
    expires_at = naive_utc(expires_at)
    if expires_at is not None and expires_at <= utcnow():
        raise ValidationError(_("The expiry date must be in the future."))
    if not account.active:
        raise ValidationError(_("This customer account is disabled."))
    now = utcnow()
    for old in db.session.scalars(
        select(Share).where(Share.document_id == document.id, Share.account_id == account.id, *active_condition(now))
    ):
        old.revoked_at, old.revoked_by_id = now, actor.id
    row = Share(document_id=document.id, account_id=account.id, allow_download=bool(allow_download),
                expires_at=expires_at, created_by_id=actor.id)
    db.session.add(row)
    indexing.schedule("document", document.id)
    db.session.commit()
    log.info("document %s shared with account %s by user %s", document.id, account.id, actor.id)
    return row


def revoke(row: Share, actor: User) -> None:
    """End a share now: index, open pages and sockets of the account's people all learn it at once."""
    if row.revoked_at is None:
        row.revoked_at, row.revoked_by_id = utcnow(), actor.id
        indexing.schedule("document", row.document_id)
        db.session.commit()
        log.info("share %s (document %s, account %s) revoked by user %s", row.id, row.document_id,
                 row.account_id, actor.id)
    access_ended(row.account_id, [row.document_id])


def handle_expired(account_id: int | None = None) -> int:
    """Apply the end of shares that expired since last looked at; return how many there were.

    Access checks compare `expires_at` with the clock on every request, so this only brings the
    search index and open pages in line; it runs before each customer request (cheap: an indexed
    query that usually finds nothing) and from `flask portal expire` for everyone else.
    """
    now = utcnow()
    query = select(Share).where(
        Share.expires_at.is_not(None), Share.expires_at <= now, Share.expiry_handled_at.is_(None),
        Share.revoked_at.is_(None),
    )
    if account_id is not None:
        query = query.where(Share.account_id == account_id)
    rows = list(db.session.scalars(query.limit(200)))
    if not rows:
        return 0
    for row in rows:
        row.expiry_handled_at = now
        indexing.schedule("document", row.document_id)
    db.session.commit()
    by_account: dict[int, list[int]] = {}
    for row in rows:
        by_account.setdefault(row.account_id, []).append(row.document_id)
    for acc, docs in by_account.items():
        access_ended(acc, docs)
    return len(rows)


def handle_expired_quietly(account_id: int) -> None:
    """handle_expired before a customer's request, which it must never fail: access checks use the clock
    anyway, so a failure here is logged and rolled back, and the next request tries again."""
    try:
        handle_expired(account_id)
    except Exception:  # noqa: BLE001
        log.exception("portal: handling expired shares failed")
        db.session.rollback()


def access_ended(account_id: int, document_ids: list[int]) -> None:
    """Bring the index in line at once (the queued job repeats it), then close the account's open pages."""
    try:
        indexing.apply([["document", d, "refresh"] for d in document_ids])
    except Exception:  # noqa: BLE001 - the committed job writes the same entries again
        log.exception("portal: immediate reindex of documents %s failed", document_ids)
    still = {d for d in document_ids if _granted(account_id, d)}
    ended = [d for d in document_ids if d not in still]
    if ended:
        sockets.close_documents(account_id, ended)


def _granted(account_id: int, document_id: int) -> bool:
    return policy.active_share(account_id, document_id) is not None


EXPIRY_SECONDS = 15


def expire_shares_now() -> None:
    """Each worker looks every EXPIRY_SECONDS, so an expiry reaches open pages even when the customer is idle."""
    handle_expired()
