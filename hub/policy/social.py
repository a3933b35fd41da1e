"""Ratings, comments, helpful marks and @mentions: staff only, on what they may see."""

from __future__ import annotations

from ..models import User
from .departments import can_view_post, can_view_question
from .documents import can_view_document


def can_rate(user: User, document) -> bool:
    return user.is_staff and can_view_document(user, document)


def can_view_comment_target(user: User, kind: str, target) -> bool:
    """A comment is visible to whoever may see what it is attached to."""
    if kind == "document":
        return can_view_document(user, target)
    if kind == "post":
        return can_view_post(user, target)
    return can_view_question(user, target.question)


def can_comment(user: User, kind: str, target) -> bool:
    return user.is_staff and can_view_comment_target(user, kind, target)


def can_view_comment(user: User, comment) -> bool:
    return comment.deleted_at is None and can_view_comment_target(user, comment.target_kind, comment.target)


def can_edit_comment(user: User, comment) -> bool:
    """Only the author rewrites their words; moderators delete but never edit."""
    return comment.deleted_at is None and comment.author_id == user.id


def can_delete_comment(user: User, comment) -> bool:
    return comment.deleted_at is None and (comment.author_id == user.id or can_moderate(user))


def can_moderate(user: User) -> bool:
    """Admins moderate comments: they may remove anyone's."""
    return user.is_admin


def can_mark_helpful(user: User, comment) -> bool:
    """Colleagues (not the author) may mark a comment they can see as helpful."""
    return user.is_staff and comment.author_id != user.id and can_view_comment(user, comment)


def can_mark_answer_helpful(user: User, answer) -> bool:
    """Colleagues (not the answerer) may vote an answer they can see helpful."""
    return user.is_staff and answer.author_id != user.id and can_view_question(user, answer.question)


def can_mention(user: User | None) -> bool:
    """Only staff name colleagues with @Name; a customer's text stays plain (no notification, no link)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)
