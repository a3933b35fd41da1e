"""Department knowledge: experience notes and the Q&A board."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow


class Post(db.Model):
    """An experience note: a short Markdown post by a department member."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    department = relationship("Department")
    author = relationship("User")


class Question(db.Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    accepted_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answers.id", use_alter=True, name="fk_questions_accepted_answer", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    department = relationship("Department")
    author = relationship("User")
    answers = relationship(
        "Answer",
        back_populates="question",
        foreign_keys="Answer.question_id",
        order_by="Answer.id",
        cascade="all, delete-orphan",
    )
    accepted_answer = relationship("Answer", foreign_keys=[accepted_answer_id], post_update=True)


class Answer(db.Model):
    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    question = relationship("Question", back_populates="answers", foreign_keys=[question_id])
    # joined: an answer is always shown with its author's name (question page, API)
    author = relationship("User", lazy="joined")

    @property
    def accepted(self) -> bool:
        return self.question.accepted_answer_id == self.id
