"""What happened lately that a reader may see: the home page's activity lines and its short lists.

A handful of planned queries, each already narrowed in SQL and eager-loading what the lines show; the
few rows they return are then checked again with hub.policy, so a rule changed there applies here too.
The number of statements stays the same however many rows the tables hold.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import joinedload

from . import policy
from .customers.events import plain_text
from .extensions import db
from .models import (
    AccountMember,
    Answer,
    Comment,
    CustomerAccount,
    Department,
    Document,
    DocumentVersion,
    DocumentView,
    FeedEvent,
    Post,
    Question,
    utcnow,
)

PER_SOURCE = 8
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Happening:
    """One activity line: who did what (kind), to which item (title, url), where, and when."""

    kind: str  # document, version, answer, accepted, comment, feed
    who: str
    title: str
    url: str
    where: str
    at: datetime
    detail: str = ""  # version number, feed kind or feed action


def _name(user) -> str:
    return user.name if user is not None else ""


def _open_departments(viewer):
    """A SQL condition keeping departments the viewer may see (can_view_department)."""
    return true() if viewer.is_admin else Department.active


def _documents(viewer) -> list[Happening]:
    rows = db.session.scalars(
        select(Document)
        .where(policy.visible_documents(viewer))
        .options(joinedload(Document.owner), joinedload(Document.department))
        .order_by(Document.created_at.desc(), Document.id.desc())
        .limit(PER_SOURCE)
    ).all()
    return [
        Happening("document", _name(d.owner), d.title, url_for("documents.show", doc_id=d.id),
                  d.department.name, d.created_at)
        for d in rows
        if policy.can_view_document(viewer, d)
    ]


def _versions(viewer) -> list[Happening]:
    rows = db.session.scalars(
        select(DocumentVersion)
        .join(Document, DocumentVersion.document_id == Document.id)
        .where(DocumentVersion.number > 1, policy.visible_documents(viewer))
        .options(
            joinedload(DocumentVersion.uploader),
            joinedload(DocumentVersion.document).joinedload(Document.department),
        )
        .order_by(DocumentVersion.created_at.desc(), DocumentVersion.id.desc())
        .limit(PER_SOURCE)
    ).all()
    return [
        Happening("version", _name(v.uploader), v.document.title, url_for("documents.show", doc_id=v.document_id),
                  v.document.department.name, v.created_at, detail=str(v.number))
        for v in rows
        if policy.can_view_document(viewer, v.document)
    ]


def _answers(viewer) -> list[Happening]:
    rows = db.session.scalars(
        select(Answer)
        .join(Question, Answer.question_id == Question.id)
        .join(Department, Question.department_id == Department.id)
        .where(_open_departments(viewer))
        .options(joinedload(Answer.author), joinedload(Answer.question).joinedload(Question.department))
        .order_by(Answer.created_at.desc(), Answer.id.desc())
        .limit(PER_SOURCE)
    ).all()
    return [
        Happening("accepted" if a.question.accepted_answer_id == a.id else "answer", _name(a.author),
                  a.question.title, url_for("departments.show_question", question_id=a.question_id),
                  a.question.department.name, a.created_at)
        for a in rows
        if policy.can_view_question(viewer, a.question)
    ]


def _comment_target(c: Comment) -> tuple[str, str, str]:
    """(title, url, where) of what a comment is attached to."""
    if c.document is not None:
        return c.document.title, url_for("documents.show", doc_id=c.document_id), c.document.department.name
    if c.post is not None:
        return c.post.title, url_for("departments.show_post", post_id=c.post_id), c.post.department.name
    question = c.answer.question
    return question.title, url_for("departments.show_question", question_id=question.id), question.department.name


def _comments(viewer) -> list[Happening]:
    rows = db.session.scalars(
        select(Comment)
        .outerjoin(Document, Comment.document_id == Document.id)
        .where(Comment.deleted_at.is_(None), or_(Comment.document_id.is_(None), policy.visible_documents(viewer)))
        .options(
            joinedload(Comment.author),
            joinedload(Comment.document).joinedload(Document.department),
            joinedload(Comment.post).joinedload(Post.department),
            joinedload(Comment.answer).joinedload(Answer.question).joinedload(Question.department),
        )
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(PER_SOURCE)
    ).all()
    lines = []
    for c in rows:
        if policy.can_view_comment(viewer, c):
            title, url, where = _comment_target(c)
            lines.append(Happening("comment", _name(c.author), title, url, where, c.created_at))
    return lines


def _my_accounts(viewer):
    """Ids of the accounts the viewer works on: as owner or as a team or service member."""
    members = select(AccountMember.account_id).where(AccountMember.user_id == viewer.id)
    return select(CustomerAccount.id).where(
        or_(CustomerAccount.owner_id == viewer.id, CustomerAccount.id.in_(members))
    )


def _snippet(body: str | None) -> str:
    return plain_text(body or "", 80)


def _feed(viewer) -> list[Happening]:
    rows = db.session.scalars(
        select(FeedEvent)
        .where(FeedEvent.account_id.in_(_my_accounts(viewer)))
        .options(joinedload(FeedEvent.account), joinedload(FeedEvent.author), joinedload(FeedEvent.parent))
        .order_by(FeedEvent.id.desc())
        .limit(PER_SOURCE)
    ).all()
    lines = []
    for ev in rows:
        if not policy.can_view_customer(viewer, ev.account):
            continue
        item = ev.parent if ev.parent is not None else ev
        text = _snippet(ev.body) or _snippet(item.body) or ev.account.name
        url = url_for("customers.show", account_id=ev.account_id, _anchor=f"e{item.id}")
        detail = ev.action if ev.kind == "update" and ev.action else ev.kind
        lines.append(Happening("feed", _name(ev.author), text, url, ev.account.name, ev.created_at, detail=detail))
    return lines


def recent(viewer, limit: int = 8) -> list[Happening]:
    """The newest happenings the viewer may see, newest first (staff only: customers have the portal)."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_staff:
        return []
    lines = _documents(viewer) + _versions(viewer) + _answers(viewer) + _comments(viewer)
    lines += _feed(viewer)
    lines.sort(key=lambda h: h.at, reverse=True)
    return lines[:limit]


def viewed_this_week(viewer, limit: int = 3) -> list[tuple[int, str, int]]:
    """(document id, title, views) of the documents the viewer may see that were opened most in seven days."""
    since = (utcnow() - WEEK).date()
    views = func.count(DocumentView.id)
    return [
        tuple(row)
        for row in db.session.execute(
            select(Document.id, Document.title, views)
            .join(DocumentView, DocumentView.document_id == Document.id)
            .where(DocumentView.day >= since, policy.visible_documents(viewer))
            .group_by(Document.id, Document.title)
            .order_by(views.desc(), Document.id.desc())
            .limit(limit)
        )
    ]


def latest_questions(viewer, limit: int = 8) -> list[tuple[Question, int]]:
    """Newest questions in departments the viewer may see, each with its number of answers."""
    questions = db.session.scalars(
        select(Question)
        .join(Department, Question.department_id == Department.id)
        .where(_open_departments(viewer))
        .options(joinedload(Question.department))
        .order_by(Question.id.desc())
        .limit(limit)
    ).all()
    counts = dict(
        db.session.execute(
            select(Answer.question_id, func.count(Answer.id))
            .where(Answer.question_id.in_([q.id for q in questions]))
            .group_by(Answer.question_id)
        ).all()
    )
    return [(q, counts.get(q.id, 0)) for q in questions]


def latest_posts(viewer, limit: int = 6) -> list[Post]:
    return db.session.scalars(
        select(Post)
        .join(Department, Post.department_id == Department.id)
        .where(_open_departments(viewer))
        .options(joinedload(Post.department), joinedload(Post.author))
        .order_by(Post.id.desc())
        .limit(limit)
    ).all()
