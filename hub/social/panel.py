"""What a document page's social parts show, loaded by the view in planned statements (not by templates)."""

from sqlalchemy import bindparam, case, func, select

from .. import policy
from ..extensions import db
from ..models import DocumentView, Follow, Rating
from . import comments, ratings


def _facts_statement():
    """The rating summary, the view count and whether the reader follows the document, as one statement.

    An aggregate without GROUP BY gives exactly one row, even for a document nobody rated yet. Built once:
    constructing it costs more than running it.
    """
    document_id, user_id = bindparam("document_id"), bindparam("user_id")
    per_stars = [func.coalesce(func.sum(case((Rating.stars == n, 1), else_=0)), 0) for n in range(1, 6)]
    mine = func.max(case((Rating.user_id == user_id, Rating.stars)))
    views = select(func.count()).select_from(DocumentView).where(DocumentView.document_id == document_id)
    followed = (
        select(func.count())
        .select_from(Follow)
        .where(Follow.user_id == user_id, Follow.target_kind == "document", Follow.target_id == document_id)
    )
    return (
        select(*per_stars, mine, views.scalar_subquery(), followed.scalar_subquery())
        .select_from(Rating)
        .where(Rating.document_id == document_id)
    )


_FACTS = _facts_statement()


def document_facts(document_id: int, user_id: int) -> tuple[dict, int, bool]:
    """(rating summary as ratings.summary gives it, view count, whether `user_id` follows the document)."""
    row = db.session.execute(_FACTS, {"document_id": document_id, "user_id": user_id}).one()
    counts, own, view_count, following = row[:5], row[5], row[6], row[7]
    rows = [(n, count, n == own) for n, count in zip(range(1, 6), counts, strict=True) if count]
    return ratings.summary_of(document_id, rows), view_count, bool(following)


def document_panel(document, user) -> dict:
    """Everything templates/social/_document_panel.html and the follow button need for `document`."""
    rating, views, following = document_facts(document.id, user.id)
    return {
        "rating": rating,
        "views": views,
        "following": following,
        "thread": {
            "kind": "document",
            "target": document,
            "comments": comments.thread("document", document.id),
            "may_comment": policy.can_comment(user, "document", document),
            "moderator": policy.can_moderate(user),
        },
    }
