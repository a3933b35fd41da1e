"""Departments, experience notes and Q&A over JSON."""

from flask import abort
from flask_login import current_user

from .. import policy
from ..departments import services
from ..departments.schemas import (
    AnswerOut,
    DepartmentList,
    DepartmentOut,
    PostIn,
    PostList,
    PostOut,
    QuestionIn,
    QuestionOut,
    TextIn,
)
from ..errors import ApiError
from ..loading import load_visible
from ..models import Answer, Department, Question
from ..social import helpful
from .blueprint import bp
from .spec import operation, parse_body, respond


def ref(user) -> dict:
    return {"id": user.id, "name": user.name}


def department_summary(dept: Department) -> dict:
    return {"id": dept.id, "name": dept.name, "description": dept.description, "member_count": len(dept.members)}


def question_summary(q: Question) -> dict:
    return {
        "id": q.id,
        "department_id": q.department_id,
        "title": q.title,
        "author": ref(q.author),
        "answer_count": len(q.answers),
        "accepted_answer_id": q.accepted_answer_id,
        "created_at": q.created_at,
    }


def answer_out(a: Answer, votes: dict | None = None) -> dict:
    """The answer with its helpful votes as the caller sees them (`votes` from helpful.answer_votes)."""
    votes = votes or {"helpful": 0, "helpful_by_me": False}
    return {
        "id": a.id,
        "question_id": a.question_id,
        "author": ref(a.author),
        "body": a.body,
        "accepted": a.accepted,
        "helpful": votes["helpful"],
        "helpful_by_me": votes["helpful_by_me"],
        "created_at": a.created_at,
    }


def question_out(q: Question) -> dict:
    votes = helpful.answer_votes([a.id for a in q.answers], current_user.id)
    return question_summary(q) | {"body": q.body, "answers": [answer_out(a, votes[a.id]) for a in q.answers]}


def post_out(p) -> dict:
    return {
        "id": p.id,
        "department_id": p.department_id,
        "title": p.title,
        "body": p.body,
        "author": ref(p.author),
        "created_at": p.created_at,
    }


@bp.get("/departments")
@operation("List the active product departments", "departments", responses={200: DepartmentList})
def list_departments():
    return respond(DepartmentList, {"departments": [department_summary(d) for d in services.active_departments()]})


@bp.get("/departments/<int:dept_id>")
@operation("One department with its members and questions", "departments", responses={200: DepartmentOut})
def get_department(dept_id: int):
    dept = load_visible(Department, dept_id, policy.can_view_department)
    data = department_summary(dept) | {
        "members": [ref(u) for u in dept.members],
        "questions": [question_summary(q) for q in services.recent_questions(dept)],
    }
    return respond(DepartmentOut, data)


@bp.get("/departments/<int:dept_id>/posts")
@operation("Experience notes of a department, newest first", "departments", responses={200: PostList})
def list_posts(dept_id: int):
    dept = load_visible(Department, dept_id, policy.can_view_department)
    return respond(PostList, {"posts": [post_out(p) for p in services.recent_posts(dept, limit=100)]})


@bp.post("/departments/<int:dept_id>/posts")
@operation("Publish an experience note (department members)", "departments", body=PostIn, responses={201: PostOut})
def create_post(dept_id: int):
    dept = load_visible(Department, dept_id, policy.can_view_department)
    if not policy.can_post_in(current_user, dept):
        abort(403)
    data = parse_body(PostIn)
    post = services.publish_post(dept, current_user, data.title, data.body)
    return respond(PostOut, post_out(post), 201)


@bp.post("/departments/<int:dept_id>/questions")
@operation("Ask a question on a department's Q&A board", "departments", body=QuestionIn, responses={201: QuestionOut})
def create_question(dept_id: int):
    dept = load_visible(Department, dept_id, policy.can_view_department)
    if not policy.can_ask_in(current_user, dept):
        abort(403)
    data = parse_body(QuestionIn)
    question = services.ask_question(dept, current_user, data.title, data.body)
    return respond(QuestionOut, question_out(question), 201)


@bp.get("/questions/<int:question_id>")
@operation("A question with its answers", "departments", responses={200: QuestionOut})
def get_question(question_id: int):
    question = load_visible(Question, question_id, policy.can_view_question)
    return respond(QuestionOut, question_out(question))


@bp.post("/questions/<int:question_id>/answers")
@operation("Answer a question", "departments", body=TextIn, responses={201: AnswerOut})
def create_answer(question_id: int):
    question = load_visible(Question, question_id, policy.can_view_question)
    if not policy.can_answer(current_user, question):
        abort(403)
    data = parse_body(TextIn)
    reply = services.post_answer(question, current_user, data.body)
    return respond(AnswerOut, answer_out(reply), 201)


@bp.post("/answers/<int:answer_id>/accept")
@operation("Accept an answer (asker, department member or admin)", "departments", responses={200: QuestionOut})
def accept_answer(answer_id: int):
    reply = load_visible(Answer, answer_id, lambda user, a: policy.can_view_question(user, a.question))
    if not policy.can_accept_answer(current_user, reply.question):
        raise ApiError(403, "Only the asker or a member of the department can accept an answer.")
    return respond(QuestionOut, question_out(services.accept_answer(reply, current_user)))
