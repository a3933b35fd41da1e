"""Rankings of documents a person may see: best rated (Bayesian), most viewed, newest, hot; and view counts."""

from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import case, func, select

from .. import policy
from ..extensions import db
from ..models import Comment, Document, DocumentView, Rating, utcnow
from . import cache
from .db_util import upsert
from .ratings import bayesian_sql

HOT_DAYS = 7
# Weights of one event in the "hot" score; the last day counts three times as much as the rest of the week.
HOT_WEIGHTS = {"view": 1, "rating": 3, "comment": 4}
RECENT_BOOST = 3
CANDIDATE_CHUNK = 200


class DocRef(NamedTuple):
    """What a ranking shows of a document: plain values, safe to keep beyond the request."""

    id: int
    title: str
    department_id: int
    created_at: datetime


DOC_COLUMNS = (Document.id, Document.title, Document.department_id, Document.created_at)


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
) -> list[tuple[DocRef, float, int, float]]:
    """(document, Bayesian score, rating count, plain average), ordered by the score."""
    total, n = func.sum(Rating.stars), func.count(Rating.id)
    score = bayesian_sql(total, n)
    rows = db.session.execute(
        select(Document.id, score, n, total)
        .join(Rating, Rating.document_id == Document.id)
        .where(*_scope(user, department_id))
        .group_by(Document.id)
        .order_by(score.desc(), n.desc(), Document.id.desc())
        .limit(limit)
    ).all()
    docs = _load([r[0] for r in rows])
    return [(docs[i], round(float(s), 2), c, round(t / c, 1)) for i, s, c, t in rows]


def _load(ids: list[int]) -> dict[int, DocRef]:
    if not ids:
        return {}
    return {r.id: DocRef(*r) for r in db.session.execute(select(*DOC_COLUMNS).where(Document.id.in_(ids)))}


def most_viewed(user, department_id: int | None = None, limit: int = 5) -> list[tuple[DocRef, int]]:
    views = func.count(DocumentView.id)
    rows = db.session.execute(
        select(*DOC_COLUMNS, views)
        .join(DocumentView, DocumentView.document_id == Document.id)
        .where(*_scope(user, department_id))
        .group_by(Document.id)
        .order_by(views.desc(), Document.id.desc())
        .limit(limit)
    ).all()
    return [(DocRef(*r[:4]), r[4]) for r in rows]


def newest(user, department_id: int | None = None, limit: int = 5) -> list[DocRef]:
    rows = db.session.execute(
        select(*DOC_COLUMNS)
        .where(*_scope(user, department_id))
        .order_by(Document.created_at.desc(), Document.id.desc())
        .limit(limit)
    )
    return [DocRef(*r) for r in rows]


def _activity(model, when_column, since, yesterday, weight: int) -> dict[int, float]:
    """Weighted event counts per document over the hot window (recent day boosted)."""
    points = func.sum(case((when_column >= yesterday, weight * RECENT_BOOST), else_=weight))
    query = select(model.document_id, points).where(model.document_id.is_not(None), when_column >= since)
    if model is Comment:
        query = query.where(Comment.deleted_at.is_(None))
    rows = db.session.execute(query.group_by(model.document_id)).all()
    return {doc_id: float(p) for doc_id, p in rows}


def hot(user, department_id: int | None = None, limit: int = 5) -> list[tuple[DocRef, float]]:
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
    ranked = sorted(scores, key=lambda i: (-scores[i], -i))
    # Check visibility on the best candidates only, a chunk at a time, instead of loading every active document.
    chosen: list[int] = []
    for start in range(0, len(ranked), CANDIDATE_CHUNK):
        chunk = ranked[start : start + CANDIDATE_CHUNK]
        visible = set(
            db.session.scalars(
                select(Document.id).where(Document.id.in_(chunk), *_scope(user, department_id))
            )
        )
        chosen.extend(i for i in chunk if i in visible)
        if len(chosen) >= limit:
            break
    chosen = chosen[:limit]
    docs = _load(chosen)
    return [(docs[i], scores[i]) for i in chosen]


def all_rankings(user, department_id: int | None = None, limit: int = 5, fresh: bool = False) -> dict:
    """The four lists, remembered briefly per viewer scope (see hub.social.cache)."""

    def compute() -> dict:
        return {
            "best_rated": best_rated(user, department_id, limit),
            "most_viewed": most_viewed(user, department_id, limit),
            "newest": newest(user, department_id, limit),
            "hot": hot(user, department_id, limit),
        }

    if fresh:
        return compute()
    return cache.memo(("rankings", cache.viewer_scope(user), department_id, limit), compute)
