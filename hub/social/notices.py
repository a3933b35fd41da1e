"""What social activity tells people: notifications (through hub.notifications) and live comment events.

Every function here runs after the caller committed its work: nobody hears of an uncommitted comment.
"""

import logging

from flask import url_for
from sqlalchemy import update

from .. import policy, rooms
from ..extensions import db, socketio
from ..follows import services as follows
from ..models import Answer, Comment, Document, RatingMilestone, User
from ..notifications.service import notify
from . import cache, comments, ratings
from .db_util import upsert

log = logging.getLogger("hub.social")

# The owner hears about ratings when the count reaches one of these, not at every vote.
RATING_MILESTONES = (1, 5, 10, 25, 50, 100, 250, 500, 1000)


def document_url(document_id: int) -> str:
    return f"/documents/{document_id}"


def target_url(comment: Comment) -> str:
    anchor = f"#comment-{comment.id}"
    if comment.document_id:
        return document_url(comment.document_id) + anchor
    if comment.post_id:
        return url_for("departments.show_post", post_id=comment.post_id) + anchor
    return url_for("departments.show_question", question_id=comment.answer.question_id) + anchor


def target_title(comment: Comment) -> str:
    if comment.document_id:
        return comment.document.title
    if comment.post_id:
        return comment.post.title
    return comment.answer.question.title


def followed_target(comment: Comment) -> tuple[str, object]:
    """What a comment's followers follow: the document, the post's department, the answer's question."""
    if comment.document_id:
        return "document", comment.document
    if comment.post_id:
        return "department", comment.post.department
    return "question", comment.answer.question


def target_owner_id(comment: Comment) -> int:
    if comment.document_id:
        return comment.document.owner_id
    return comment.post.author_id if comment.post_id else comment.answer.author_id


def _may_see(user: User, comment: Comment) -> bool:
    return policy.can_view_comment_target(user, comment.target_kind, comment.target)


def tell_mentioned(comment: Comment, people: list[User], actor: User) -> list[int]:
    """Notify the people named in a comment who may read what it is on; return their ids."""
    ids = [p.id for p in people if p.active and _may_see(p, comment)]
    params = {"name": actor.name, "title": target_title(comment)}
    notify(ids, "mention", params, target_url(comment), actor.id)
    return ids


def comment_created(comment: Comment, people: list[User], actor: User) -> None:
    """Push the new comment to the document's readers; notify the mentioned and the owner."""
    cache.forget()
    if comment.document_id:
        socketio.emit("comment", comments.as_json(comment), to=rooms.document(comment.document_id))
    told = tell_mentioned(comment, people, actor)
    owner_id = target_owner_id(comment)
    if owner_id not in told:
        params = {"name": actor.name, "title": target_title(comment)}
        notify([owner_id], "comment", params, target_url(comment), actor.id)
    kind, target = followed_target(comment)
    follows.tell_followers(kind, target, "follow_comment", {"name": actor.name, "title": target_title(comment)},
                           target_url(comment), actor.id, told=[*told, owner_id])


def comment_edited(comment: Comment, newly_named: list[User], actor: User) -> None:
    if comment.document_id:
        socketio.emit("comment_updated", comments.as_json(comment), to=rooms.document(comment.document_id))
    tell_mentioned(comment, newly_named, actor)


def comment_deleted(comment: Comment) -> None:
    cache.forget()
    if comment.document_id:
        socketio.emit("comment_deleted", {"id": comment.id}, to=rooms.document(comment.document_id))


def answer_posted(answer: Answer) -> None:
    """Tell the asker that their question has a new answer (called by the Q&A area after commit)."""
    question = answer.question
    params = {"name": answer.author.name, "title": question.title}
    url = url_for("departments.show_question", question_id=question.id) + f"#answer-{answer.id}"
    notify([question.author_id], "answer", params, url, answer.author_id)
    follows.tell_followers("question", question, "follow_answer", params, url, answer.author_id,
                           told=[question.author_id])


def question_asked(question) -> None:
    """Tell the department's active members about a new question on its board (not the asker)."""
    members = [u for u in question.department.members if policy.can_view_question(u, question)]
    params = {"name": question.author.name, "department": question.department.name, "title": question.title}
    url = url_for("departments.show_question", question_id=question.id)
    notify([u.id for u in members], "question", params, url, question.author_id)
    follows.tell_followers("department", question.department, "follow_question", params, url, question.author_id,
                           told=[u.id for u in members])


def answer_accepted(answer: Answer, actor: User | None) -> None:
    """Tell the answerer that their answer was accepted (unless they accepted it themself)."""
    question = answer.question
    params = {"name": actor.name if actor else question.author.name, "title": question.title}
    url = url_for("departments.show_question", question_id=question.id) + f"#answer-{answer.id}"
    notify([answer.author_id], "answer_accepted", params, url, actor.id if actor else None)


def rating_changed(document: Document, actor_id: int) -> None:
    """Push the new summary to the document's readers; at each milestone of the count, tell the owner once."""
    cache.forget()
    summary = ratings.summary(document.id)
    socketio.emit("rating", {k: v for k, v in summary.items() if k != "mine"}, to=rooms.document(document.id))
    reached = max((m for m in RATING_MILESTONES if m <= summary["count"]), default=0)
    if not reached:
        return
    upsert(RatingMilestone, {"document_id": document.id, "count": 0}, keys=["document_id"])
    claimed = db.session.execute(
        update(RatingMilestone)
        .where(RatingMilestone.document_id == document.id, RatingMilestone.count < reached)
        .values(count=reached)
    ).rowcount
    db.session.commit()
    if not claimed:
        return
    params = {"title": document.title, "count": summary["count"], "average": summary["average"]}
    # The last rater is the actor: an owner rating their own document is not told about it.
    notify([document.owner_id], "rating_summary", params, document_url(document.id), actor_id)
