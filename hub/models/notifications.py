"""Notifications: what a person should know about, with a read mark.

A notification is data, not text: its kind names a message of hub.notifications.messages and `params`
holds the values for it (names, titles, a snippet, counts), so it is worded in the reader's language
whenever it is shown. `text` is only the fallback for rows written before kinds carried params.
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # a key of hub.notifications.messages.MESSAGES: mention, comment, answer, task, share_opened, ...
    kind: Mapped[str] = mapped_column(String(30))
    params: Mapped[dict | None] = mapped_column(JSON)
    # Old rows only: the text as it was worded when stored (in one language).
    stored_text: Mapped[str] = mapped_column("text", String(500), default="")
    url: Mapped[str] = mapped_column(String(300), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    user = relationship("User", foreign_keys=[user_id])
    actor = relationship("User", foreign_keys=[actor_id])

    @property
    def text(self) -> str:
        """The notification worded in the current language (the request's, or the one forced around it)."""
        from ..notifications.messages import render

        return render(self.kind, self.params, self.stored_text)
