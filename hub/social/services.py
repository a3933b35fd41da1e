"""The writes of the social area as a request makes them: each commits, then tells readers and owners.

Pages and the API call these; the modules below them (ratings, comments, rankings) only flush.
"""

from flask_babel import gettext as _

from ..errors import ValidationError
from ..extensions import db
from ..models import Comment, Document, User
from . import cache, comments, helpful, notices, rankings, ratings


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


def set_helpful(user: User, target_kind: str, target_id: int, on: bool = True) -> dict:
    """Record (or take back) the person's helpful vote on an answer or comment; return its new summary.

    Views check hub.policy first (visibility, staff); this refuses a vote on one's own words by itself,
    so scripts such as the demo loader get the same rule.
    """
    model = helpful.KINDS.get(target_kind, (None,))[0]
    item = db.session.get(model, target_id) if model is not None else None
    if item is None:
        raise ValidationError(_("There is nothing to mark helpful here."))
    helpful.set_vote(target_kind, item, user.id, on)
    db.session.commit()
    cache.forget()  # expert scores count helpful votes
    return helpful.summary(target_kind, target_id, user.id)


def mark_helpful(comment: Comment, user: User, on: bool) -> Comment:
    set_helpful(user, "comment", comment.id, on)
    db.session.refresh(comment)
    return comment
