"""Customer accounts in depth: the account team, key contacts at the customer, and the account feed."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

ACCOUNT_STATUSES = ("prospect", "active", "at_risk", "churned")
MEMBER_ROLES = ("team", "service")  # sales/product team members; service contacts

# Kinds a person posts; kinds the system appends when an item changes.
POSTED_KINDS = ("note", "call", "visit", "task", "help_request", "complaint", "document", "assessment")
# A customer's service request from the portal: open -> answered -> closed; never an alert (only complaints are).
PORTAL_KINDS = ("service_request",)
CHANGE_KINDS = ("reply", "update")
EVENT_KINDS = POSTED_KINDS + PORTAL_KINDS + CHANGE_KINDS
# What an `update` event did to its parent item.
ACTIONS = ("completed", "reopened", "reassigned", "rescheduled", "solved", "acknowledged", "answered", "closed")
SEVERITIES = ("low", "normal", "high")


class AccountMember(db.Model):
    """A staff member working on an account: `team` (sales, product) or `service` (service contact)."""

    __tablename__ = "account_members"
    __table_args__ = (CheckConstraint("role IN ('team', 'service')", name="ck_account_members_role"),)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("customer_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(10), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    account = relationship("CustomerAccount")
    user = relationship("User")


class AccountContact(db.Model):
    """A key person at the customer (not a Hub user): name, title, how to reach them."""

    __tablename__ = "account_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    account = relationship("CustomerAccount")


class FeedEvent(db.Model):
    """One entry of an account's timeline; ids only grow, so clients resume from the last id they saw.

    Items (task, help request, complaint) keep their current state in their own row; every change
    to an item is appended as a new `reply` or `update` event pointing at it through `parent_id`.
    """

    __tablename__ = "feed_events"
    __table_args__ = (
        Index("ix_feed_events_account_id_id", "account_id", "id"),
        CheckConstraint(
            "kind IN ('note', 'call', 'visit', 'task', 'help_request', 'complaint', 'document', 'assessment', "
            "'service_request', 'reply', 'update')",
            name="ck_feed_events_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("feed_events.id", ondelete="CASCADE"), index=True)
    action: Mapped[str | None] = mapped_column(String(20))
    # open / done (task), open / solved (help request), open / acknowledged (complaint),
    # open / answered / closed (service request from the portal)
    status: Mapped[str | None] = mapped_column(String(16))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_date: Mapped[date | None]
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    to_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id", ondelete="SET NULL"))
    severity: Mapped[str | None] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(10), default="staff")  # staff, or portal for customers
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    account = relationship("CustomerAccount")
    author = relationship("User", foreign_keys=[author_id])
    assignee = relationship("User", foreign_keys=[assignee_id])
    to_user = relationship("User", foreign_keys=[to_user_id])
    to_department = relationship("Department")
    closed_by = relationship("User", foreign_keys=[closed_by_id])
    document = relationship("Document")
    parent = relationship("FeedEvent", remote_side=[id], back_populates="children")
    children = relationship("FeedEvent", back_populates="parent", order_by="FeedEvent.id")

    @property
    def is_open(self) -> bool:
        return self.status == "open"
