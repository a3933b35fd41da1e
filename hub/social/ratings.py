"""Star ratings: one per person per document (by constraint), summaries and the Bayesian score."""

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

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
    rows = db.session.execute(
        select(Rating.stars, func.count()).where(Rating.document_id == document_id).group_by(Rating.stars)
    ).all()
    distribution = {str(n): 0 for n in range(1, 6)}
    for stars, count in rows:
        distribution[str(stars)] = count
    count = sum(distribution.values())
    total = sum(int(k) * v for k, v in distribution.items())
    mine = None
    if user_id is not None:
        mine = db.session.scalar(
            select(Rating.stars).where(Rating.document_id == document_id, Rating.user_id == user_id)
        )
    return {
        "document_id": document_id,
        "average": round(total / count, 2) if count else None,
        "count": count,
        "distribution": distribution,
        "mine": mine,
        "score": round(bayesian(total, count), 3),
    }
