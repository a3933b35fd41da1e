"""Helpful votes on answers and comments: one per person per item (the table's key), never on one's own.

The rows are written with INSERT ... ON CONFLICT DO NOTHING, so a PUT repeated or sent twenty times at
once leaves one vote; these functions only flush, the caller commits (hub.social.services.set_helpful).
"""

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..errors import ValidationError
from ..extensions import db
from ..models import Answer, AnswerHelpful, Comment, CommentHelpful, utcnow
from .db_util import upsert

# kind -> (the voted-on model, the vote model, the vote's column naming the item)
KINDS = {
    "answer": (Answer, AnswerHelpful, "answer_id"),
    "comment": (Comment, CommentHelpful, "comment_id"),
}


def _kind(kind: str):
    if kind not in KINDS:
        raise ValidationError(_("Only answers and comments can be marked helpful."))
    return KINDS[kind]


def set_vote(kind: str, item, user_id: int, on: bool) -> None:
    """Add (on) or take back (off) the person's vote; refuse a vote on their own answer or comment."""
    _model, vote, column = _kind(kind)
    if item.author_id == user_id:
        raise ValidationError(_("You cannot mark your own contribution as helpful."))
    if on:
        upsert(vote, {column: item.id, "user_id": user_id, "created_at": utcnow()}, keys=[column, "user_id"])
    else:
        db.session.execute(
            vote.__table__.delete().where(getattr(vote, column) == item.id, vote.user_id == user_id)
        )


def summary(kind: str, item_id: int, user_id: int | None = None) -> dict:
    """How many colleagues found the item helpful, and whether the reader is one of them."""
    _model, vote, column = _kind(kind)
    key = getattr(vote, column)
    count = db.session.scalar(select(func.count()).select_from(vote).where(key == item_id))
    mine = False
    if user_id is not None:
        mine = db.session.scalar(select(vote.user_id).where(key == item_id, vote.user_id == user_id)) is not None
    return {"kind": kind, "id": item_id, "helpful": count, "helpful_by_me": mine}


def answer_votes(answer_ids: list[int], user_id: int | None) -> dict[int, dict]:
    """Counts and the reader's own votes for many answers in two queries (a question page shows them all)."""
    if not answer_ids:
        return {}
    counts = dict(
        db.session.execute(
            select(AnswerHelpful.answer_id, func.count())
            .where(AnswerHelpful.answer_id.in_(answer_ids))
            .group_by(AnswerHelpful.answer_id)
        ).all()
    )
    mine = set()
    if user_id is not None:
        mine = set(
            db.session.scalars(
                select(AnswerHelpful.answer_id).where(
                    AnswerHelpful.answer_id.in_(answer_ids), AnswerHelpful.user_id == user_id
                )
            )
        )
    return {i: {"helpful": counts.get(i, 0), "helpful_by_me": i in mine} for i in answer_ids}
