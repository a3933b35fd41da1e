"""The customer VIP portal: document shares, announcements, the conversation, engagement, branding.

Every row names the customer account it belongs to, so portal queries start from the reader's
own account and never reach another's.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

MESSAGE_MAX = 2_000
ANNOUNCEMENT_MAX = 2_000
REPLY_MAX = 5_000


class Share(db.Model):
    """A document granted to a customer account, until it expires or is revoked (rows are never reused)."""

    __tablename__ = "document_shares"
    __table_args__ = (Index("ix_document_shares_account_document", "account_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"))
    allow_download: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set once the end of an expired share has been applied (search index, open pages told).
    expiry_handled_at: Mapped[datetime | None]

    document = relationship("Document")
    account = relationship("CustomerAccount")
    created_by = relationship("User", foreign_keys=[created_by_id])

    def is_active(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Announcement(db.Model):
    """A note from the service team, shown on top of the account's portal."""

    __tablename__ = "portal_announcements"
    __table_args__ = (Index("ix_portal_announcements_account_id_id", "account_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User")


class PortalMessage(db.Model):
    """One line of the conversation between the customer's users and their service team."""

    __tablename__ = "portal_messages"
    __table_args__ = (Index("ix_portal_messages_account_id_id", "account_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User")


class PortalReply(db.Model):
    """An answer the service team gives the customer on a request they submitted in the portal.

    A portal request is a `service_request` (or, for a complaint, a `complaint`) event of the account feed
    (source `portal`); only these replies, never the feed's internal entries, are shown back to the customer.
    """

    __tablename__ = "portal_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("feed_events.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User")


class PortalRequest(db.Model):
    """A request or complaint a customer user submitted in the portal; its text and state live in the feed."""

    __tablename__ = "portal_requests"
    __table_args__ = (CheckConstraint("kind IN ('request', 'complaint')", name="ck_portal_requests_kind"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("feed_events.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10), default="request")
    resolved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event = relationship("FeedEvent")
    user = relationship("User")


class DocumentOpen(db.Model):
    """A customer user opened a shared document: first and last time, how often."""

    __tablename__ = "portal_document_opens"
    __table_args__ = (UniqueConstraint("document_id", "user_id", name="uq_portal_document_opens"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    first_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_at: Mapped[datetime] = mapped_column(default=utcnow)
    count: Mapped[int] = mapped_column(default=1)

    document = relationship("Document")
    user = relationship("User")


class PageView(db.Model):
    """A customer user viewed page N of a shared document (its image was served to them)."""

    __tablename__ = "portal_page_views"
    __table_args__ = (UniqueConstraint("document_id", "user_id", "page", name="uq_portal_page_views"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    page: Mapped[int]
    first_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_at: Mapped[datetime] = mapped_column(default=utcnow)
    count: Mapped[int] = mapped_column(default=1)


class PortalBrand(db.Model):
    """How an account's portal looks: its logo (an uploaded image under uploads/) and a welcome text."""

    __tablename__ = "portal_brands"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("customer_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    logo_path: Mapped[str | None] = mapped_column(String(300))  # relative to UPLOAD_DIR
    welcome: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
