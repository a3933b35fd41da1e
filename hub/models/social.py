"""Crowd wisdom: star ratings, comments (with mentions), helpful votes on comments and answers, daily views."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

COMMENT_TARGETS = ("document", "post", "answer")


class Rating(db.Model):
    """One person's stars for one document; the constraint keeps it to one even under concurrent requests."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("user_id", "document_id", name="uq_ratings_user_document"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="ck_ratings_stars"),
        Index("ix_ratings_updated_document", "updated_at", "document_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    stars: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user = relationship("User")
    document = relationship("Document")


class Comment(db.Model):
    """A Markdown comment on exactly one target: a document, an experience note or an answer."""

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN document_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN post_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN answer_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="ck_comments_one_target",
        ),
        Index("ix_comments_created_document", "created_at", "document_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    # Deleting keeps the row (threads stay readable); a moderator's deletion names the moderator.
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author = relationship("User", foreign_keys=[author_id])
    deleted_by = relationship("User", foreign_keys=[deleted_by_id])
    document = relationship("Document")
    post = relationship("Post")
    answer = relationship("Answer")
    mentions = relationship("CommentMention", back_populates="comment", cascade="all, delete-orphan")
    helpful_marks = relationship("CommentHelpful", back_populates="comment", cascade="all, delete-orphan")

    @property
    def target_kind(self) -> str:
        if self.document_id is not None:
            return "document"
        return "post" if self.post_id is not None else "answer"

    @property
    def target_id(self) -> int:
        return self.document_id or self.post_id or self.answer_id

    @property
    def target(self):
        return self.document or self.post or self.answer


class CommentMention(db.Model):
    """A colleague named with @ in a comment."""

    __tablename__ = "comment_mentions"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    comment = relationship("Comment", back_populates="mentions")
    user = relationship("User")


class CommentHelpful(db.Model):
    """A colleague found a comment helpful (counts towards the author's expertise)."""

    __tablename__ = "comment_helpful"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment = relationship("Comment", back_populates="helpful_marks")


class AnswerHelpful(db.Model):
    """A colleague found an answer helpful: one vote per person (the key), counted in the experts ranking."""

    __tablename__ = "answer_helpful"

    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentView(db.Model):
    """A person opened a document on a day: counted once per person per day."""

    __tablename__ = "document_views"
    __table_args__ = (
        UniqueConstraint("document_id", "user_id", "day", name="uq_document_views_daily"),
        Index("ix_document_views_day_document", "day", "document_id"),  # the "hot" window scan
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RatingMilestone(db.Model):
    """The last rating count the document's owner was told about (summaries go out at milestones)."""

    __tablename__ = "rating_milestones"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
