"""Rankings of documents a person may see: best rated (Bayesian), most viewed, newest, hot; and view counts."""

from datetime import date, timedelta

from sqlalchemy import case, func, select

from .. import policy
from ..extensions import db
from ..models import Comment, Document, DocumentView, Rating, utcnow
from .db_util import upsert
from .ratings import bayesian_sql

HOT_DAYS = 7
# Weights of one event in the "hot" score; the last day counts three times as much as the rest of the week.
HOT_WEIGHTS = {"view": 1, "rating": 3, "comment": 4}
RECENT_BOOST = 3


def record_view(user_id: int, document_id: int, day: date | None = None) -> None:
    """Count a view: once per person per document per day (the constraint absorbs repeats)."""
    day = day or utcnow().date()
    upsert(
        DocumentView,
        {"document_id": document_id, "user_id": user_id, "day": day, "created_at": utcnow()},
        keys=["document_id", "user_id", "day"],
    )


def view_count(document_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(DocumentView).where(DocumentView.document_id == document_id)
    )


def _scope(user, department_id: int | None):
    conditions = [policy.visible_documents(user)]
    if department_id is not None:
        conditions.append(Document.department_id == department_id)
    return conditions


def best_rated(
    user, department_id: int | None = None, limit: int = 5
) -> list[tuple[Document, float, int, float]]:
    """(document, Bayesian score, rating count, plain average), ordered by the score."""
    stats = (
        select(Rating.document_id, func.sum(Rating.stars).label("total"), func.count().label("n"))
        .group_by(Rating.document_id)
        .subquery()
    )
    score = bayesian_sql(stats.c.total, stats.c.n)
    rows = db.session.execute(
        select(Document, score, stats.c.n, stats.c.total)
        .join(stats, stats.c.document_id == Document.id)
        .where(*_scope(user, department_id))
        .order_by(score.desc(), stats.c.n.desc(), Document.id.desc())
        .limit(limit)
    ).all()
    return [(doc, round(float(s), 2), n, round(total / n, 1)) for doc, s, n, total in rows]


def most_viewed(user, department_id: int | None = None, limit: int = 5) -> list[tuple[Document, int]]:
    views = func.count(DocumentView.id)
    rows = db.session.execute(
        select(Document, views)
        .join(DocumentView, DocumentView.document_id == Document.id)
        .where(*_scope(user, department_id))
        .group_by(Document.id)
        .order_by(views.desc(), Document.id.desc())
        .limit(limit)
    ).all()
    return [(doc, n) for doc, n in rows]


def newest(user, department_id: int | None = None, limit: int = 5) -> list[Document]:
    return list(
        db.session.scalars(
            select(Document)
            .where(*_scope(user, department_id))
            .order_by(Document.created_at.desc(), Document.id.desc())
            .limit(limit)
        )
    )


def _activity(model, when_column, since, yesterday, weight: int) -> dict[int, float]:
    """Weighted event counts per document over the hot window (recent day boosted)."""
    points = func.sum(case((when_column >= yesterday, weight * RECENT_BOOST), else_=weight))
    query = select(model.document_id, points).where(model.document_id.is_not(None), when_column >= since)
    if model is Comment:
        query = query.where(Comment.deleted_at.is_(None))
    rows = db.session.execute(query.group_by(model.document_id)).all()
    return {doc_id: float(p) for doc_id, p in rows}


def hot(user, department_id: int | None = None, limit: int = 5) -> list[tuple[Document, float]]:
    """Documents with the most recent activity (views, ratings, comments) over the last week."""
    now = utcnow()
    since, yesterday = now - timedelta(days=HOT_DAYS), now - timedelta(days=1)
    scores: dict[int, float] = {}
    sources = [
        (DocumentView, DocumentView.day, since.date(), yesterday.date(), HOT_WEIGHTS["view"]),
        (Rating, Rating.updated_at, since, yesterday, HOT_WEIGHTS["rating"]),
        (Comment, Comment.created_at, since, yesterday, HOT_WEIGHTS["comment"]),
    ]
    for model, column, start, recent, weight in sources:
        for doc_id, points in _activity(model, column, start, recent, weight).items():
            scores[doc_id] = scores.get(doc_id, 0.0) + points
    if not scores:
        return []
    documents = db.session.scalars(
        select(Document).where(Document.id.in_(list(scores)), *_scope(user, department_id))
    ).all()
    ranked = sorted(documents, key=lambda d: (-scores[d.id], -d.id))[:limit]
    return [(doc, scores[doc.id]) for doc in ranked]


def all_rankings(user, department_id: int | None = None, limit: int = 5) -> dict:
    return {
        "best_rated": best_rated(user, department_id, limit),
        "most_viewed": most_viewed(user, department_id, limit),
        "newest": newest(user, department_id, limit),
        "hot": hot(user, department_id, limit),
    }
