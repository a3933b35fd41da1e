"""Follows: a person asks to hear what is new on a document, department, question or customer account."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

FOLLOW_KINDS = ("document", "department", "question", "customer")


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "target_kind", "target_id", name="uq_follows_user_target"),
        CheckConstraint("target_kind IN ('document', 'department', 'question', 'customer')",
                        name="ck_follows_target_kind"),
        # Who follows this thing? is asked at every write that notifies.
        Index("ix_follows_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")
