"""Department pages: description, members, experience notes and the Q&A board."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..errors import ValidationError
from ..loading import load_visible
from ..models import Answer, Department, Post, Question
from ..social import helpful
from . import services
from .forms import AnswerForm, PostForm, QuestionForm

bp = Blueprint("departments", __name__, url_prefix="/departments")


@bp.route("/")
def index():
    return render_template(
        "departments/index.html", departments=services.active_departments(), member_counts=services.member_counts()
    )


@bp.route("/<int:dept_id>")
def show(dept_id: int):
    dept = load_visible(Department, dept_id, policy.can_view_department)
    return render_template(
        "departments/show.html",
        dept=dept,
        posts=services.recent_posts(dept),
        questions=services.recent_questions(dept),
        note_form=PostForm(prefix="post") if policy.can_post_in(current_user, dept) else None,
        question_form=QuestionForm(prefix="q") if policy.can_ask_in(current_user, dept) else None,
    )


@bp.route("/<int:dept_id>/posts", methods=["POST"])
def create_post(dept_id: int):
    dept = load_visible(Department, dept_id, policy.can_view_department)
    if not policy.can_post_in(current_user, dept):
        abort(403)
    form = PostForm(prefix="post")
    if form.validate_on_submit():
        try:
            post = services.publish_post(dept, current_user, form.title.data, form.body.data)
        except ValidationError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Note published."), "success")
            return redirect(url_for("departments.show_post", post_id=post.id))
    else:
        flash(_("Please give the note a title and a text."), "error")
    return redirect(url_for("departments.show", dept_id=dept.id))


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
    if form.validate_on_submit():
        try:
            question = services.ask_question(dept, current_user, form.title.data, form.body.data or "")
        except ValidationError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Question posted. Colleagues will answer here."), "success")
            return redirect(url_for("departments.show_question", question_id=question.id))
    else:
        flash(_("Please write your question (at most 200 characters)."), "error")
    return redirect(url_for("departments.show", dept_id=dept.id))


@bp.route("/questions/<int:question_id>")
def show_question(question_id: int):
    question = load_visible(Question, question_id, policy.can_view_question)
    return render_template(
        "departments/question.html",
        question=question,
        answer_form=AnswerForm() if policy.can_answer(current_user, question) else None,
        may_accept=policy.can_accept_answer(current_user, question),
        votes=helpful.answer_votes([a.id for a in question.answers], current_user.id),
    )


@bp.route("/questions/<int:question_id>/answers", methods=["POST"])
def answer(question_id: int):
    question = load_visible(Question, question_id, policy.can_view_question)
    if not policy.can_answer(current_user, question):
        abort(403)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            services.post_answer(question, current_user, form.body.data)
        except ValidationError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Answer posted."), "success")
    else:
        flash(_("An answer must not be empty."), "error")
    return redirect(url_for("departments.show_question", question_id=question.id))


@bp.route("/answers/<int:answer_id>/accept", methods=["POST"])
def accept(answer_id: int):
    reply = load_visible(Answer, answer_id, lambda user, a: policy.can_view_question(user, a.question))
    if not policy.can_accept_answer(current_user, reply.question):
        abort(403)
    services.accept_answer(reply, current_user)
    flash(_("Answer accepted."), "success")
    return redirect(url_for("departments.show_question", question_id=reply.question_id))
