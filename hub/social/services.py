"""The writes of the social area as a request makes them: each commits, then tells readers and owners.

Pages and the API call these; the modules below them (ratings, comments, rankings) only flush.
"""

from ..extensions import db
from ..models import Comment, Document, User
from . import cache, comments, notices, rankings, ratings


def rate(document: Document, user: User, stars) -> dict:
    """Set the person's stars; return the summary as they see it."""
    ratings.set_rating(user.id, document, stars)
    db.session.commit()
    notices.rating_changed(document, user.id)
    return ratings.summary(document.id, user.id)


def unrate(document: Document, user: User) -> dict:
    ratings.remove_rating(user.id, document)
    db.session.commit()
    notices.rating_changed(document, user.id)
    return ratings.summary(document.id, user.id)


def count_view(document: Document, user: User) -> None:
    rankings.record_view(user.id, document.id)
    db.session.commit()


def add_comment(author: User, kind: str, target, body) -> Comment:
    comment, people = comments.create(author, kind, target, body)
    db.session.commit()
    notices.comment_created(comment, people, author)
    return comment


def edit_comment(comment: Comment, body, actor: User) -> Comment:
    newly_named = comments.edit(comment, body)
    db.session.commit()
    notices.comment_edited(comment, newly_named, actor)
    return comment


def delete_comment(comment: Comment, by: User) -> None:
    comments.delete(comment, by)
    db.session.commit()
    notices.comment_deleted(comment)


def mark_helpful(comment: Comment, user: User, helpful: bool) -> Comment:
    comments.set_helpful(comment, user.id, helpful)
    db.session.commit()
    cache.forget()  # expert scores count helpful marks
    db.session.refresh(comment)
    return comment
