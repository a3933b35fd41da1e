"""Comments on documents, experience notes and answers: create, edit, delete, list, render."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from flask import has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, literal, null, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from .. import markdown, policy
from ..errors import ValidationError
from ..extensions import db
from ..models import Answer, Comment, CommentHelpful, CommentMention, Document, Post, User, utcnow
from ..models.base import iso
from . import mentions

BODY_MAX = 5000
TARGETS = {"document": Document, "post": Post, "answer": Answer}
TARGET_COLUMNS = {"document": "document_id", "post": "post_id", "answer": "answer_id"}


def clean_body(body) -> str:
    if not isinstance(body, str):
        raise ValidationError(_("A comment must be text."), field="body")
    body = body.strip()
    if not body:
        raise ValidationError(_("A comment must not be empty."), field="body")
    if len(body) > BODY_MAX:
        raise ValidationError(_("A comment may have at most %(n)d characters.", n=BODY_MAX), field="body")
    return body


def resolve_mentions(body: str, author: User) -> list[User]:
    """Return the colleagues named in `body`; refuse names that match nobody."""
    if not policy.can_mention(author):
        return []  # the text stays plain: no mention rows, so no notification and no link
    people, unknown = mentions.find_mentions(body)
    if unknown:
        names = ", ".join("@" + name for name in unknown[:5])
        raise ValidationError(_("No colleague is called %(names)s.", names=names), field="body")
    return people


def create(author: User, kind: str, target, body) -> tuple[Comment, list[User]]:
    """Store a comment and its mentions (flushed, not committed); return it and the people named."""
    body = clean_body(body)
    people = resolve_mentions(body, author)
    comment = Comment(author=author, body=body, **{TARGET_COLUMNS[kind]: target.id})
    db.session.add(comment)
    db.session.flush()
    for person in people:
        db.session.add(CommentMention(comment_id=comment.id, user_id=person.id))
    db.session.flush()
    return comment, people


def edit(comment: Comment, body) -> list[User]:
    """Rewrite a comment; return the people named for the first time (to notify)."""
    body = clean_body(body)
    people = resolve_mentions(body, comment.author)
    before = {m.user_id for m in comment.mentions}
    comment.body = body
    comment.edited_at = utcnow()
    comment.mentions = [CommentMention(user_id=p.id) for p in people]
    db.session.flush()
    return [p for p in people if p.id not in before]


def delete(comment: Comment, by: User) -> None:
    """Remove a comment from view; the row stays so a moderator's action is traceable."""
    comment.deleted_at = utcnow()
    comment.deleted_by_id = by.id
    comment.mentions = []


# What a listed comment shows, in three queries whatever the number of comments.
_SHOWN_WITH = (
    joinedload(Comment.author),
    selectinload(Comment.mentions).joinedload(CommentMention.user),
    selectinload(Comment.helpful_marks),
)


def for_target(kind: str, target_id: int, limit: int = 500) -> list[Comment]:
    column = getattr(Comment, TARGET_COLUMNS[kind])
    return list(
        db.session.scalars(
            select(Comment)
            .options(*_SHOWN_WITH)
            .where(column == target_id, Comment.deleted_at.is_(None))
            .order_by(Comment.id)
            .limit(limit)
        )
    )


def for_targets(kind: str, target_ids: list[int], limit: int = 500) -> dict[int, list[Comment]]:
    """The threads of several targets in one query (a question page's answers), by target id."""
    column = getattr(Comment, TARGET_COLUMNS[kind])
    threads: dict[int, list[Comment]] = {target_id: [] for target_id in target_ids}
    if not target_ids:
        return threads
    rows = db.session.scalars(
        select(Comment)
        .options(*_SHOWN_WITH)
        .where(column.in_(target_ids), Comment.deleted_at.is_(None))
        .order_by(Comment.id)
    )
    for comment in rows:
        thread = threads[getattr(comment, TARGET_COLUMNS[kind])]
        if len(thread) < limit:
            thread.append(comment)
    return threads


@dataclass(frozen=True)
class Person:
    id: int
    name: str


@dataclass(frozen=True)
class Mark:
    user_id: int


@dataclass(frozen=True)
class Mention:
    user: Person


@dataclass
class ShownComment:
    """What a thread shows of a comment, with the attributes of `Comment` the templates and `render` read."""

    id: int
    author_id: int
    author: Person
    body: str
    created_at: datetime
    edited_at: datetime | None
    mentions: list[Mention] = field(default_factory=list)
    helpful_marks: list[Mark] = field(default_factory=list)


def _thread_statements() -> dict:
    """Per kind of target, one statement (UNION ALL): its comments with their authors' names ("c"), then
    who is named in ("m") and who found helpful ("h") each of them. Built once: constructing them costs
    more than running them, and each statement has a fixed cost of its own."""
    statements = {}
    for kind, column_name in TARGET_COLUMNS.items():
        shown = (getattr(Comment, column_name) == bindparam("target_id"), Comment.deleted_at.is_(None))
        listed = (
            select(
                literal("c").label("what"), Comment.id, Comment.author_id, User.name, Comment.body,
                Comment.created_at, Comment.edited_at,
            )
            .join(User, User.id == Comment.author_id)
            .where(*shown)
            .order_by(Comment.id)
            .limit(bindparam("limit"))
            .subquery()
        )
        comment_ids = select(Comment.id).where(*shown).order_by(Comment.id).limit(bindparam("limit"))
        named = (
            select(literal("m"), CommentMention.comment_id, CommentMention.user_id, User.name, null(), null(), null())
            .join(User, User.id == CommentMention.user_id)
            .where(CommentMention.comment_id.in_(comment_ids))
        )
        marked = select(
            literal("h"), CommentHelpful.comment_id, CommentHelpful.user_id, null(), null(), null(), null()
        ).where(CommentHelpful.comment_id.in_(comment_ids))
        statements[kind] = union_all(select(*listed.c), named, marked)
    return statements


_THREAD = _thread_statements()


def thread(kind: str, target_id: int, limit: int = 500) -> list[ShownComment]:
    """A thread as a page shows it, from plain rows in one statement whatever its length (no ORM objects)."""
    shown, people = {}, []
    # plain columns: through the session's connection, without the ORM's per-statement layer
    for what, comment_id, user_id, name, *rest in db.session.connection().execute(
        _THREAD[kind], {"target_id": target_id, "limit": limit}
    ):
        if what == "c":
            shown[comment_id] = ShownComment(comment_id, user_id, Person(user_id, name), *rest)
        else:
            people.append((what, comment_id, user_id, name))
    for what, comment_id, user_id, name in people:
        comment = shown[comment_id]
        if what == "m":
            comment.mentions.append(Mention(Person(user_id, name)))
        else:
            comment.helpful_marks.append(Mark(user_id))
    return [shown[i] for i in sorted(shown)]


def count_for(kind: str, target_id: int) -> int:
    column = getattr(Comment, TARGET_COLUMNS[kind])
    return db.session.scalar(
        select(func.count()).select_from(Comment).where(column == target_id, Comment.deleted_at.is_(None))
    )


def render(comment: Comment):
    """Sanitised HTML of the body, with mentions linked to profiles."""
    people = tuple((m.user.id, m.user.name) for m in comment.mentions)
    if len(comment.body) > _RENDER_CACHED_UPTO or not has_request_context():
        return _render_now(comment.body, people)
    return _render_cached(request.script_root, comment.body, people)


_RENDER_CACHED_UPTO = 2000  # characters; longer comments are rare and would crowd the cache


def _render_now(body: str, people: tuple):
    return markdown.render(mentions.link_mentions(body, [Person(*person) for person in people]))


@lru_cache(maxsize=2048)
def _render_cached(script_root: str, body: str, people: tuple):
    """The same body naming the same people renders the same (its links depend on the script root too)."""
    return _render_now(body, people)


def as_json(comment: Comment, viewer_id: int | None = None) -> dict:
    """The comment as API and live events carry it (the same for every reader, plus `helpful_by_me`)."""
    helpful_ids = {h.user_id for h in comment.helpful_marks}
    return {
        "id": comment.id,
        "target": {"kind": comment.target_kind, "id": comment.target_id},
        "author": {"id": comment.author.id, "name": comment.author.name},
        "body": comment.body,
        "html": str(render(comment)),
        "mentions": [{"id": m.user.id, "name": m.user.name} for m in comment.mentions],
        "helpful": len(helpful_ids),
        "helpful_by_me": viewer_id in helpful_ids if viewer_id else False,
        "created_at": iso(comment.created_at),
        "edited_at": iso(comment.edited_at),
    }
