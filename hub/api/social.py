"""Ratings, comments, rankings, experts and people suggestions over JSON."""

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..errors import ApiError
from ..loading import load_visible
from ..models import Answer, Comment, Department, Document, Post
from ..social import comments, experts, mentions, rankings, ratings, services
from ..social.schemas import (
    CommentIn,
    CommentList,
    CommentOut,
    ExpertList,
    ExpertQuery,
    HelpfulSummary,
    Ok,
    PeopleList,
    PeopleQuery,
    RankingQuery,
    Rankings,
    RatingIn,
    RatingSummary,
)
from .blueprint import bp
from .spec import operation, parse_body, parse_query, respond

TAG = "social"


# --- ratings -------------------------------------------------------------------


@bp.get("/documents/<int:doc_id>/rating")
@operation("Rating summary: average, count, distribution and your stars", TAG, responses={200: RatingSummary})
def get_rating(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    return respond(RatingSummary, ratings.summary(doc.id, current_user.id))


@bp.put("/documents/<int:doc_id>/rating")
@operation(
    "Rate a document 1 to 5 stars (again to change)", TAG, body=RatingIn, responses={200: RatingSummary}
)
def put_rating(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    if not policy.can_rate(current_user, doc):
        abort(403)
    data = parse_body(RatingIn)
    return respond(RatingSummary, services.rate(doc, current_user, data.stars))


@bp.delete("/documents/<int:doc_id>/rating")
@operation("Remove your rating", TAG, responses={200: RatingSummary})
def delete_rating(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    return respond(RatingSummary, services.unrate(doc, current_user))


@bp.post("/documents/<int:doc_id>/views")
@operation("Count that you opened the document (once per day)", TAG, responses={200: Ok})
def record_document_view(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    services.count_view(doc, current_user)
    return respond(Ok, {"ok": True})


# --- comments ------------------------------------------------------------------


def _list(kind: str, target):
    rows = comments.for_target(kind, target.id)
    return respond(CommentList, {"comments": [comments.as_json(c, current_user.id) for c in rows]})


def _create(kind: str, target):
    if not policy.can_comment(current_user, kind, target):
        abort(403)
    data = parse_body(CommentIn)
    comment = services.add_comment(current_user, kind, target, data.body)
    return respond(CommentOut, comments.as_json(comment, current_user.id), 201)


def _visible_answer(user, answer: Answer) -> bool:
    return policy.can_view_question(user, answer.question)


@bp.get("/documents/<int:doc_id>/comments")
@operation("Comments on a document, oldest first", TAG, responses={200: CommentList})
def list_document_comments(doc_id: int):
    return _list("document", load_visible(Document, doc_id, policy.can_view_document))


@bp.post("/documents/<int:doc_id>/comments")
@operation("Comment on a document (Markdown, @mentions)", TAG, body=CommentIn, responses={201: CommentOut})
def create_document_comment(doc_id: int):
    return _create("document", load_visible(Document, doc_id, policy.can_view_document))


@bp.get("/posts/<int:post_id>/comments")
@operation("Comments on an experience note", TAG, responses={200: CommentList})
def list_post_comments(post_id: int):
    return _list("post", load_visible(Post, post_id, policy.can_view_post))


@bp.post("/posts/<int:post_id>/comments")
@operation("Comment on an experience note", TAG, body=CommentIn, responses={201: CommentOut})
def create_post_comment(post_id: int):
    return _create("post", load_visible(Post, post_id, policy.can_view_post))


@bp.get("/answers/<int:answer_id>/comments")
@operation("Comments on an answer", TAG, responses={200: CommentList})
def list_answer_comments(answer_id: int):
    return _list("answer", load_visible(Answer, answer_id, _visible_answer))


@bp.post("/answers/<int:answer_id>/comments")
@operation("Comment on an answer", TAG, body=CommentIn, responses={201: CommentOut})
def create_answer_comment(answer_id: int):
    return _create("answer", load_visible(Answer, answer_id, _visible_answer))


@bp.patch("/comments/<int:comment_id>")
@operation("Edit your own comment", TAG, body=CommentIn, responses={200: CommentOut})
def update_comment(comment_id: int):
    comment = load_visible(Comment, comment_id, policy.can_view_comment)
    if not policy.can_edit_comment(current_user, comment):
        raise ApiError(403, "Only the author can edit a comment.")
    data = parse_body(CommentIn)
    services.edit_comment(comment, data.body, current_user)
    return respond(CommentOut, comments.as_json(comment, current_user.id))


@bp.delete("/comments/<int:comment_id>")
@operation("Delete your comment (admins: anyone's)", TAG, responses={204: None})
def delete_comment(comment_id: int):
    comment = load_visible(Comment, comment_id, policy.can_view_comment)
    if not policy.can_delete_comment(current_user, comment):
        raise ApiError(403, "Only the author or an admin can delete a comment.")
    services.delete_comment(comment, current_user)
    return "", 204


@bp.put("/comments/<int:comment_id>/helpful")
@operation("Mark a colleague's comment as helpful", TAG, responses={200: CommentOut})
def mark_comment_helpful(comment_id: int):
    return _helpful(comment_id, True)


@bp.delete("/comments/<int:comment_id>/helpful")
@operation("Take back your helpful mark", TAG, responses={200: CommentOut})
def unmark_comment_helpful(comment_id: int):
    return _helpful(comment_id, False)


def _helpful(comment_id: int, helpful: bool):
    comment = load_visible(Comment, comment_id, policy.can_view_comment)
    if not policy.can_mark_helpful(current_user, comment):
        raise ApiError(403, _("You cannot mark your own contribution as helpful."))
    services.mark_helpful(comment, current_user, helpful)
    return respond(CommentOut, comments.as_json(comment, current_user.id))


@bp.put("/answers/<int:answer_id>/helpful")
@operation("Vote a colleague's answer helpful (once; again changes nothing)", TAG, responses={200: HelpfulSummary})
def mark_answer_helpful(answer_id: int):
    return _answer_helpful(answer_id, True)


@bp.delete("/answers/<int:answer_id>/helpful")
@operation("Take back your helpful vote on an answer", TAG, responses={200: HelpfulSummary})
def unmark_answer_helpful(answer_id: int):
    return _answer_helpful(answer_id, False)


def _answer_helpful(answer_id: int, on: bool):
    answer = load_visible(Answer, answer_id, _visible_answer)
    if not policy.can_mark_answer_helpful(current_user, answer):
        raise ApiError(403, _("You cannot mark your own contribution as helpful."))
    return respond(HelpfulSummary, services.set_helpful(current_user, "answer", answer.id, on))


# --- rankings, experts, people -------------------------------------------------


def _department_or_404(department_id: int | None) -> None:
    if department_id is not None:
        load_visible(Department, department_id, policy.can_view_department)


def _ranked(doc, value=None) -> dict:
    return {"id": doc.id, "title": doc.title, "department_id": doc.department_id, "value": value}


@bp.get("/rankings")
@operation(
    "Best rated, most viewed, newest and hot documents", TAG, query=RankingQuery, responses={200: Rankings}
)
def list_rankings():
    query = parse_query(RankingQuery)
    _department_or_404(query.department_id)
    found = rankings.all_rankings(current_user, query.department_id, query.limit)
    return respond(
        Rankings,
        {
            "best_rated": [_ranked(d, score) for d, score, _n, _avg in found["best_rated"]],
            "most_viewed": [_ranked(d, n) for d, n in found["most_viewed"]],
            "newest": [_ranked(d) for d in found["newest"]],
            "hot": [_ranked(d, round(s, 2)) for d, s in found["hot"]],
        },
    )


@bp.get("/experts")
@operation(
    "Colleagues ranked by contribution, per department and/or tag",
    TAG,
    query=ExpertQuery,
    responses={200: ExpertList},
)
def list_experts():
    query = parse_query(ExpertQuery)
    _department_or_404(query.department_id)
    tag = (query.tag or "").strip() or None
    rows = experts.ranked(current_user, query.department_id, tag)
    return respond(
        ExpertList,
        {
            "department_id": query.department_id,
            "tag": tag,
            "experts": [
                {"user": {"id": c.user.id, "name": c.user.name}}
                | {
                    k: getattr(c, k)
                    for k in (
                        "score",
                        "documents",
                        "ratings",
                        "star_balance",
                        "answers",
                        "accepted",
                        "helpful",
                    )
                }
                for c in rows
            ],
        },
    )


@bp.get("/people/suggest")
@operation("Colleagues for @mention autocomplete", TAG, query=PeopleQuery, responses={200: PeopleList})
def suggest_people():
    query = parse_query(PeopleQuery)
    people = mentions.suggest(query.q)
    return respond(PeopleList, {"people": [{"id": p.id, "name": p.name, "title": p.title} for p in people]})
