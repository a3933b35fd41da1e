"""What a document page's social parts show, loaded by the view in planned statements (not by templates)."""

from functools import cache

from sqlalchemy import bindparam, case, func, select

from .. import policy
from ..models import DocumentView, Follow, Rating
from ..templating import header_columns, remember_header_counts
from . import comments, ratings


@cache
def _facts_statement(staff: bool):
    """The rating summary, the view count, whether the reader follows the document and the page header's
    counts (hub.templating.header_columns), as one statement.

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
        select(*per_stars, mine, views.scalar_subquery(), followed.scalar_subquery(), *header_columns(staff))
        .select_from(Rating)
        .where(Rating.document_id == document_id)
    )


@cache
def facts_subquery(staff: bool):
    """_facts_statement as a one-row derived table, for the page's document statement to carry (parameters
    document_id and user_id): one statement fewer per page."""
    return _facts_statement(staff).subquery("facts")


def _read_facts(document_id: int, row) -> tuple[dict, int, bool]:
    """(rating summary as ratings.summary gives it, view count, whether the reader follows the document)
    from the facts' columns; the page header's counts are remembered for the templates on the way."""
    counts, own, view_count, following = row[:5], row[5], row[6], row[7]
    remember_header_counts(row[8], row[9])
    rows = [(n, count, n == own) for n, count in zip(range(1, 6), counts, strict=True) if count]
    return ratings.summary_of(document_id, rows), view_count, bool(following)


def document_panel(document, user, facts) -> dict:
    """Everything templates/social/_document_panel.html and the follow button need for `document`;
    `facts`: the columns of facts_subquery as the page's statement read them."""
    rating, views, following = _read_facts(document.id, facts)
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
