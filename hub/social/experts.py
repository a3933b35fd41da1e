"""Experts: colleagues ranked by what they contributed, per department and per tag; one person's contributions."""

from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from .. import policy
from ..extensions import db
from ..models import (
    Answer,
    AnswerHelpful,
    Comment,
    CommentHelpful,
    CommentMention,
    Document,
    Post,
    Question,
    Rating,
    User,
)
from . import cache

# Points: a document, each star above (or below) three it received, an accepted answer, any answer,
# and each helpful vote a colleague gave one of the person's answers or comments (one vote per person
# per item; own votes are impossible). templates/social/experts.html explains the same formula to readers.
POINTS = {"document": 3, "star": 1, "accepted": 5, "answer": 1, "helpful": 2}


class PersonRef(NamedTuple):
    id: int
    name: str
    title: str | None


@dataclass
class Contribution:
    user: User
    documents: int = 0
    star_balance: int = 0  # sum of (stars - 3) over ratings of the person's documents
    ratings: int = 0
    answers: int = 0
    accepted: int = 0
    helpful: int = 0  # helpful votes received, on answers and comments together
    score: int = field(default=0)

    def total(self) -> int:
        self.score = (
            POINTS["document"] * self.documents
            + POINTS["star"] * self.star_balance
            + POINTS["accepted"] * self.accepted
            + POINTS["answer"] * self.answers
            + POINTS["helpful"] * self.helpful
        )
        return self.score


def _tag_condition(tag: str):
    return (literal(",") + Document.tags + literal(",")).contains(f",{tag},", autoescape=True)


def _document_scope(viewer, department_id, tag):
    conditions = [policy.visible_documents(viewer)]
    if department_id is not None:
        conditions.append(Document.department_id == department_id)
    if tag:
        conditions.append(_tag_condition(tag))
    return conditions


def _collect(viewer, department_id=None, tag=None, user_id=None) -> dict[int, Contribution]:
    rows: dict[int, Contribution] = {}

    def row(uid: int) -> Contribution:
        if uid not in rows:
            rows[uid] = Contribution(user=db.session.get(User, uid))
        return rows[uid]

    doc_scope = _document_scope(viewer, department_id, tag)
    owner_filter = [Document.owner_id == user_id] if user_id else []
    for uid, n in db.session.execute(
        select(Document.owner_id, func.count(Document.id))
        .where(*doc_scope, *owner_filter)
        .group_by(Document.owner_id)
    ):
        row(uid).documents = n
    for uid, balance, n in db.session.execute(
        select(Document.owner_id, func.sum(Rating.stars - 3), func.count(Rating.id))
        .join(Rating, Rating.document_id == Document.id)
        .where(*doc_scope, *owner_filter, Rating.user_id != Document.owner_id)  # own votes do not count
        .group_by(Document.owner_id)
    ):
        row(uid).star_balance, row(uid).ratings = int(balance or 0), n

    if not tag:  # answers carry no tags: they count per department and overall
        accepted = func.sum(case((Question.accepted_answer_id == Answer.id, 1), else_=0))
        query = select(Answer.author_id, func.count(Answer.id), accepted).join(
            Question, Answer.question_id == Question.id
        )
        if department_id is not None:
            query = query.where(Question.department_id == department_id)
        if user_id:
            query = query.where(Answer.author_id == user_id)
        for uid, n, n_accepted in db.session.execute(query.group_by(Answer.author_id)):
            row(uid).answers, row(uid).accepted = n, int(n_accepted or 0)

    for uid, n in db.session.execute(_helpful_query(viewer, department_id, tag, user_id)):
        row(uid).helpful = n
    if not tag:
        for uid, n in db.session.execute(_answer_helpful_query(department_id, user_id)):
            row(uid).helpful += n
    return rows


def _answer_helpful_query(department_id, user_id):
    """Helpful votes on answers (staff see every department's Q&A, so only the scope filters)."""
    query = (
        select(Answer.author_id, func.count(AnswerHelpful.user_id))
        .join(AnswerHelpful, AnswerHelpful.answer_id == Answer.id)
        .where(AnswerHelpful.user_id != Answer.author_id)
    )
    if department_id is not None:
        query = query.join(Question, Answer.question_id == Question.id).where(
            Question.department_id == department_id
        )
    if user_id:
        query = query.where(Answer.author_id == user_id)
    return query.group_by(Answer.author_id)


def _helpful_query(viewer, department_id, tag, user_id):
    """Helpful marks on comments whose target lies in the scope and is visible to the viewer."""
    answer_question = aliased(Question)
    query = (
        select(Comment.author_id, func.count(CommentHelpful.user_id))
        .join(CommentHelpful, CommentHelpful.comment_id == Comment.id)
        .outerjoin(Document, Comment.document_id == Document.id)
        .outerjoin(Post, Comment.post_id == Post.id)
        .outerjoin(Answer, Comment.answer_id == Answer.id)
        .outerjoin(answer_question, Answer.question_id == answer_question.id)
        .where(Comment.deleted_at.is_(None), CommentHelpful.user_id != Comment.author_id)
        .where(or_(Comment.document_id.is_(None), policy.visible_documents(viewer)))
    )
    if department_id is not None:
        query = query.where(
            func.coalesce(Document.department_id, Post.department_id, answer_question.department_id)
            == department_id
        )
    if tag:
        query = query.where(and_(Comment.document_id.is_not(None), _tag_condition(tag)))
    if user_id:
        query = query.where(Comment.author_id == user_id)
    return query.group_by(Comment.author_id)


def ranked(
    viewer, department_id: int | None = None, tag: str | None = None, limit: int = 50
) -> list[Contribution]:
    """Active staff with a positive score in the scope, best first (remembered briefly per viewer scope)."""
    key = ("experts", cache.viewer_scope(viewer), department_id, tag, limit)
    return cache.memo(key, lambda: _ranked(viewer, department_id, tag, limit))


def _ranked(viewer, department_id, tag, limit) -> list[Contribution]:
    rows = [
        c
        for c in _collect(viewer, department_id, tag).values()
        if c.user is not None and c.user.active and c.user.is_staff and c.total() > 0
    ]
    rows.sort(key=lambda c: (-c.score, -c.accepted, c.user.name))
    for c in rows:  # plain values: the list may be kept beyond this request
        c.user = PersonRef(c.user.id, c.user.name, c.user.title)
    return rows[:limit]


def totals_for(viewer, person: User) -> Contribution:
    found = _collect(viewer, user_id=person.id).get(person.id) or Contribution(user=person)
    found.user = person
    found.total()
    return found


def known_tags(viewer, limit: int = 60) -> list[str]:
    """Tags used on documents the viewer can see, most used first."""
    counts: dict[str, int] = {}
    for tags in db.session.scalars(
        select(Document.tags).where(policy.visible_documents(viewer), Document.tags != "")
    ):
        for tag in (t.strip() for t in tags.split(",")):
            if tag:
                counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t))[:limit]


def person_items(viewer, person: User, limit: int = 20) -> dict:
    """What a person contributed that the viewer may see: documents, answers, helpful comments."""
    documents = db.session.scalars(
        select(Document)
        .options(joinedload(Document.department))
        .where(Document.owner_id == person.id, policy.visible_documents(viewer))
        .order_by(Document.created_at.desc())
        .limit(limit)
    ).all()
    answers = db.session.scalars(
        select(Answer).where(Answer.author_id == person.id)
        # the visibility check reads each answer's question and its department
        .options(joinedload(Answer.question).joinedload(Question.department))
        .order_by(Answer.id.desc()).limit(limit)
    ).all()
    answers = [a for a in answers if policy.can_view_question(viewer, a.question)]
    comments = db.session.scalars(
        select(Comment)
        # the visibility check and the list read each comment's target (and an answer's question)
        .options(
            joinedload(Comment.document),
            joinedload(Comment.post).joinedload(Post.department),
            joinedload(Comment.answer).joinedload(Answer.question).joinedload(Question.department),
            selectinload(Comment.mentions).joinedload(CommentMention.user),
            selectinload(Comment.helpful_marks),
        )
        .where(Comment.author_id == person.id, Comment.deleted_at.is_(None))
        .order_by(Comment.id.desc())
        .limit(limit * 3)
    ).all()
    comments = [c for c in comments if policy.can_view_comment(viewer, c)][:limit]
    return {"documents": documents, "answers": answers, "comments": comments}
