"""Star ratings: one per person per document (by constraint), summaries and the Bayesian score."""

from flask_babel import gettext as _
from sqlalchemy import case, delete, func, literal, select

from ..errors import ValidationError
from ..extensions import db
from ..models import Document, Rating, utcnow
from .db_util import upsert

# The Bayesian prior: every document starts as if PRIOR_WEIGHT people had rated it PRIOR_MEAN stars,
# so one 5-star vote (3.33) does not beat forty votes averaging 4.6 (4.42).
PRIOR_MEAN = 3.0
PRIOR_WEIGHT = 5


def parse_stars(value) -> int:
    """Accept a whole number from 1 to 5; refuse 0, 6, 3.5, "abc", "5" (text is not a number), true."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError(_("Stars must be a whole number from 1 to 5."))
    return value


def bayesian(total: float, count: int) -> float:
    return (PRIOR_MEAN * PRIOR_WEIGHT + total) / (PRIOR_WEIGHT + count)


def bayesian_sql(total, count):
    """The same score as a SQL expression over SUM(stars) and COUNT(*)."""
    return (PRIOR_MEAN * PRIOR_WEIGHT + total * 1.0) / (PRIOR_WEIGHT + count)


def set_rating(user_id: int, document: Document, stars) -> None:
    """Create or change the person's rating in one statement (twenty at once still leave one row)."""
    stars = parse_stars(stars)
    now = utcnow()
    upsert(
        Rating,
        {
            "user_id": user_id,
            "document_id": document.id,
            "stars": stars,
            "created_at": now,
            "updated_at": now,
        },
        keys=["user_id", "document_id"],
        update={"stars": stars, "updated_at": now},
    )


def remove_rating(user_id: int, document: Document) -> bool:
    result = db.session.execute(
        delete(Rating).where(Rating.user_id == user_id, Rating.document_id == document.id)
    )
    return result.rowcount > 0


def summary(document_id: int, user_id: int | None = None) -> dict:
    """Average, count, distribution (1..5), the caller's own stars and the Bayesian score."""
    return summaries([document_id], user_id)[document_id]


def summaries(document_ids: list[int], user_id: int | None = None) -> dict[int, dict]:
    """`summary` of several documents in one statement (a list that shows each one's stars)."""
    # the caller's own stars are the group their rating falls in
    is_mine = func.max(case((Rating.user_id == user_id, 1), else_=0)) if user_id is not None else literal(0)
    found: dict[int, list] = {doc_id: [] for doc_id in document_ids}
    if document_ids:
        for doc_id, stars, count, own in db.session.execute(
            select(Rating.document_id, Rating.stars, func.count(), is_mine)
            .where(Rating.document_id.in_(document_ids))
            .group_by(Rating.document_id, Rating.stars)
        ):
            found[doc_id].append((stars, count, own))
    return {doc_id: summary_of(doc_id, rows) for doc_id, rows in found.items()}


def summary_of(document_id: int, rows: list) -> dict:
    """The summary from (stars, count, is the caller's) rows, one per star value that has ratings."""
    distribution = {str(n): 0 for n in range(1, 6)}
    mine = None
    for stars, count, own in rows:
        distribution[str(stars)] = count
        if own:
            mine = stars
    count = sum(distribution.values())
    total = sum(int(k) * v for k, v in distribution.items())
    return {
        "document_id": document_id,
        "average": round(total / count, 2) if count else None,
        "count": count,
        "distribution": distribution,
        "mine": mine,
        "score": round(bayesian(total, count), 3),
    }
