"""Pages of the social area (experts, a person's contributions) and the helpers its partials call."""

from flask import Blueprint, abort, g, render_template, request
from flask_login import current_user

from .. import policy
from ..extensions import db
from ..ids import parse_id
from ..loading import load_visible
from ..models import Department, User
from . import comments, experts, notices, rankings, ratings

bp = Blueprint("social", __name__)


@bp.route("/experts", endpoint="experts")
def experts_page():
    department_id = request.args.get("department_id", type=parse_id)
    department = None
    if department_id is not None:
        department = load_visible(Department, department_id, policy.can_view_department)
    tag = (request.args.get("tag") or "").strip()[:50] or None
    return render_template(
        "social/experts.html",
        department=department,
        tag=tag,
        rows=experts.ranked(current_user, department_id, tag),
        departments=db.session.scalars(
            db.select(Department).where(Department.active).order_by(Department.name)
        ).all(),
        tags=experts.known_tags(current_user),
    )


@bp.route("/people/<int:user_id>")
def person(user_id: int):
    who = db.session.get(User, user_id)
    if who is None or not who.is_staff:
        abort(404)
    return render_template("social/person.html", person=who)


# --- helpers for the includable partials (templates/social/_*.html) ----------------


@bp.app_template_global()
def social_rating(document) -> dict:
    known = g.get("rating_summaries", {})  # filled by a list that loaded its documents' stars at once
    if document.id in known:
        return known[document.id]
    return ratings.summary(document.id, current_user.id if current_user.is_authenticated else None)


@bp.app_template_global()
def social_comments(kind: str, target) -> dict:
    """A thread's comments and what the reader may do with it."""
    return {
        "kind": kind,
        "target": target,
        "comments": _answer_thread(target) if kind == "answer" else comments.thread(kind, target.id),
        "may_comment": current_user.is_authenticated and policy.can_comment(current_user, kind, target),
        "moderator": current_user.is_authenticated and policy.can_moderate(current_user),
    }


def _answer_thread(answer) -> list:
    """An answer's comments; the threads of all the question's answers are loaded once per request."""
    threads = g.setdefault("answer_comment_threads", {})
    if answer.id not in threads:
        threads.update(comments.for_targets("answer", [a.id for a in answer.question.answers]))
    return threads.get(answer.id, [])


@bp.app_template_global()
def social_render_comment(comment):
    return comments.render(comment)


@bp.app_template_global()
def social_comment_url(comment) -> str:
    return notices.target_url(comment)


@bp.app_template_global()
def social_rankings(department_id: int | None = None, limit: int = 5) -> dict:
    return rankings.all_rankings(current_user, department_id, limit)


@bp.app_template_global()
def social_view_count(document) -> int:
    return rankings.view_count(document.id)


@bp.app_template_global()
def social_contributions(person) -> dict:
    lists = experts.person_items(current_user, person)
    # the documents list shows each one's stars: one statement for all of them
    g.setdefault("rating_summaries", {}).update(
        ratings.summaries([d.id for d in lists["documents"]], current_user.id)
    )
    return {"totals": experts.totals_for(current_user, person), "lists": lists}
