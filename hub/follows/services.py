"""Following documents, departments, questions and customer accounts, and telling followers what is new.

Followers hear only about what they may still see: every notice is filtered by the same policy rule
that lets them open the thing (hub.policy.can_follow), at the time of the notice.
"""

import logging

from flask import url_for
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .. import policy
from ..extensions import db
from ..models import CustomerAccount, Department, Document, Follow, Question, User
from ..notifications.service import notify

log = logging.getLogger("hub.follows")

MODELS = {"document": Document, "department": Department, "question": Question, "customer": CustomerAccount}


def load_target(kind: str, ident: int):
    """The followed record, or None for an unknown kind or id."""
    model = MODELS.get(kind)
    return None if model is None else db.session.get(model, ident)


def title_of(kind: str, target) -> str:
    return target.title if kind in ("document", "question") else target.name


def url_of(kind: str, target) -> str:
    if kind == "document":
        return url_for("documents.show", doc_id=target.id)
    if kind == "department":
        return url_for("departments.show", dept_id=target.id)
    if kind == "question":
        return url_for("departments.show_question", question_id=target.id)
    return url_for("customers.show", account_id=target.id)


def is_following(user: User, kind: str, ident: int) -> bool:
    return db.session.scalar(select(Follow.id).where(
        Follow.user_id == user.id, Follow.target_kind == kind, Follow.target_id == ident)) is not None


def follow(user: User, kind: str, target) -> Follow:
    """Follow something (again is a no-op); the caller checked policy.can_follow."""
    row = db.session.scalar(select(Follow).where(
        Follow.user_id == user.id, Follow.target_kind == kind, Follow.target_id == target.id))
    if row is None:
        row = Follow(user_id=user.id, target_kind=kind, target_id=target.id)
        db.session.add(row)
        try:
            db.session.commit()
        except IntegrityError:  # a concurrent follow of the same thing won the unique constraint: same result
            db.session.rollback()
            row = db.session.scalar(select(Follow).where(
                Follow.user_id == user.id, Follow.target_kind == kind, Follow.target_id == target.id))
            if row is None:
                raise
    return row


def unfollow(user: User, kind: str, ident: int) -> bool:
    """Stop following; True when there was a follow to end."""
    result = db.session.execute(delete(Follow).where(
        Follow.user_id == user.id, Follow.target_kind == kind, Follow.target_id == ident))
    db.session.commit()
    return bool(result.rowcount)


def following(user: User) -> list[dict]:
    """What a person follows and may still see, newest first, with a title and a link."""
    rows = db.session.scalars(select(Follow).where(Follow.user_id == user.id).order_by(Follow.id.desc()))
    out = []
    for row in rows:
        target = load_target(row.target_kind, row.target_id)
        if target is None or not policy.can_follow(user, row.target_kind, target):
            continue
        out.append({"kind": row.target_kind, "id": row.target_id, "title": title_of(row.target_kind, target),
                    "url": url_of(row.target_kind, target), "created_at": row.created_at})
    return out


def followers(kind: str, target) -> list[int]:
    """Ids of the active people following this who may see it now."""
    people = db.session.scalars(select(User).join(Follow, Follow.user_id == User.id).where(
        Follow.target_kind == kind, Follow.target_id == target.id, User.active))
    return [p.id for p in people if policy.can_follow(p, kind, target)]


def tell_followers(kind: str, target, note_kind: str, params: dict, url: str, actor_id: int | None,
                   told=()) -> list[int]:
    """Notify the followers of something (not the actor, not those already told of the same event)."""
    skip = set(told)
    ids = [i for i in followers(kind, target) if i not in skip]
    notify(ids, note_kind, params, url, actor_id)
    return ids
