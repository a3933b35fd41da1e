"""Department pages: description, members, experience notes and the Q&A board."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from .. import policy
from ..errors import ValidationError, refusal
from ..loading import load_visible
from ..models import Answer, Department, Post, Question
from ..social import helpful
from . import services
from .forms import AnswerForm, PostForm, QuestionForm
from .schemas import PostIn, QuestionIn, TextIn

bp = Blueprint("departments", __name__, url_prefix="/departments")


def checked(form: FlaskForm, schema: type[BaseModel]) -> BaseModel | None:
    """The form's text validated by the API's own schema; on refusal each message lands on its field.

    The form keeps what was typed (it is bound to the request), so the page re-renders it as it was.
    """
    raw = {name: form[name].data or "" for name in schema.model_fields if name in form}
    try:
        return schema.model_validate(raw)
    except PydanticError as exc:
        refused(form, refusal(exc))
        return None


def refused(form: FlaskForm, exc: ValidationError) -> None:
    """Put a refusal's messages under their fields (a refusal about no known field goes under the first)."""
    first = next(f.short_name for f in form if f.short_name != "csrf_token")
    for name, message in (exc.fields or {first: exc.message}).items():
        field = form[name] if name in form else form[first]
        field.errors = [*field.errors, message]


@bp.route("/")
def index():
    return render_template(
        "departments/index.html", departments=services.active_departments(), member_counts=services.member_counts()
    )


@bp.route("/<int:dept_id>")
def show(dept_id: int, note_form: PostForm | None = None, question_form: QuestionForm | None = None):
    """The department page; after a refused note or question, that form comes back with its messages."""
    dept = load_visible(Department, dept_id, policy.can_view_department)
    return render_template(
        "departments/show.html",
        dept=dept,
        posts=services.recent_posts(dept),
        questions=services.recent_questions(dept),
        note_form=note_form or (PostForm(prefix="post") if policy.can_post_in(current_user, dept) else None),
        question_form=question_form or (QuestionForm(prefix="q") if policy.can_ask_in(current_user, dept) else None),
        refused=("notes" if note_form else "qa") if note_form or question_form else None,
    )


@bp.route("/<int:dept_id>/posts", methods=["POST"])
def create_post(dept_id: int):
    dept = load_visible(Department, dept_id, policy.can_view_department)
    if not policy.can_post_in(current_user, dept):
        abort(403)
    form = PostForm(prefix="post")
    data = checked(form, PostIn)
    if data is not None:
        try:
            post = services.publish_post(dept, current_user, data.title, data.body)
        except ValidationError as exc:
            refused(form, exc)
        else:
            flash(_("Note published."), "success")
            return redirect(url_for("departments.show_post", post_id=post.id))
    return show(dept.id, note_form=form), 422


@bp.route("/posts/<int:post_id>")
def show_post(post_id: int):
    post = load_visible(Post, post_id, policy.can_view_post)
    return render_template("departments/post.html", post=post)


@bp.route("/<int:dept_id>/questions", methods=["POST"])
def ask(dept_id: int):
    dept = load_visible(Department, dept_id, policy.can_view_department)
    if not policy.can_ask_in(current_user, dept):
        abort(403)
    form = QuestionForm(prefix="q")
    data = checked(form, QuestionIn)
    if data is not None:
        try:
            question = services.ask_question(dept, current_user, data.title, data.body)
        except ValidationError as exc:
            refused(form, exc)
        else:
            flash(_("Question posted. Colleagues will answer here."), "success")
            return redirect(url_for("departments.show_question", question_id=question.id))
    return show(dept.id, question_form=form), 422


@bp.route("/questions/<int:question_id>")
def show_question(question_id: int, answer_form: AnswerForm | None = None):
    """The question with its answers; after a refused answer, the answer form comes back with its message."""
    question = load_visible(Question, question_id, policy.can_view_question)
    return render_template(
        "departments/question.html",
        question=question,
        answer_form=answer_form or (AnswerForm() if policy.can_answer(current_user, question) else None),
        may_accept=policy.can_accept_answer(current_user, question),
        votes=helpful.answer_votes([a.id for a in question.answers], current_user.id),
    )


@bp.route("/questions/<int:question_id>/answers", methods=["POST"])
def answer(question_id: int):
    question = load_visible(Question, question_id, policy.can_view_question)
    if not policy.can_answer(current_user, question):
        abort(403)
    form = AnswerForm()
    data = checked(form, TextIn)
    if data is not None:
        try:
            services.post_answer(question, current_user, data.body)
        except ValidationError as exc:
            refused(form, exc)
        else:
            flash(_("Answer posted."), "success")
            return redirect(url_for("departments.show_question", question_id=question.id))
    return show_question(question.id, answer_form=form), 422


@bp.route("/answers/<int:answer_id>/accept", methods=["POST"])
def accept(answer_id: int):
    reply = load_visible(Answer, answer_id, lambda user, a: policy.can_view_question(user, a.question))
    if not policy.can_accept_answer(current_user, reply.question):
        abort(403)
    services.accept_answer(reply, current_user)
    flash(_("Answer accepted."), "success")
    return redirect(url_for("departments.show_question", question_id=reply.question_id))
