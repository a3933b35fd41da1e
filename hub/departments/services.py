"""Department knowledge: the work behind pages and API for notes, questions and answers.

`create_post`, `ask`, `answer` and `accept` build the rows and flush (demo data and tests compose them);
`publish_post`, `ask_question`, `post_answer` and `accept_answer` are what a request calls: they commit,
then tell whom it concerns.
"""

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..errors import ValidationError
from ..extensions import db
from ..follows import services as follows
from ..models import Answer, Department, Membership, Post, Question, User
from ..social import notices as social_notices

TITLE_MAX = 200
BODY_MAX = 20_000


def _clean(text: str | None, field: str, maximum: int, required: bool = True, name: str = "body") -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError(_("%(field)s must not be empty.", field=field), field=name)
    if len(text) > maximum:
        raise ValidationError(_("%(field)s may have at most %(n)d characters.", field=field, n=maximum), field=name)
    return text


def active_departments() -> list[Department]:
    return list(db.session.scalars(select(Department).where(Department.active).order_by(Department.name)))


def member_counts() -> dict[int, int]:
    """Active members per department, in one query (pages list many departments at once)."""
    rows = db.session.execute(
        select(Membership.department_id, func.count())
        .join(User, User.id == Membership.user_id)
        .where(User.active)
        .group_by(Membership.department_id)
    )
    return dict(rows.all())


def recent_posts(department: Department, limit: int = 20) -> list[Post]:
    return list(
        db.session.scalars(
            select(Post).options(joinedload(Post.author))
            .where(Post.department_id == department.id).order_by(Post.id.desc()).limit(limit)
        )
    )


def recent_questions(department: Department, limit: int = 50) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question)
            # the page shows each question's author and number of answers
            .options(joinedload(Question.author), selectinload(Question.answers))
            .where(Question.department_id == department.id)
            .order_by(Question.id.desc())
            .limit(limit)
        )
    )


def create_post(department: Department, author: User, title: str, body: str) -> Post:
    post = Post(
        department=department,
        author=author,
        title=_clean(title, _("Title"), TITLE_MAX, name="title"),
        body=_clean(body, _("Text"), BODY_MAX),
    )
    db.session.add(post)
    db.session.flush()
    return post


def ask(department: Department, author: User, title: str, body: str) -> Question:
    question = Question(
        department=department,
        author=author,
        title=_clean(title, _("Question"), TITLE_MAX, name="title"),
        body=_clean(body, _("Details"), BODY_MAX, required=False),
    )
    db.session.add(question)
    db.session.flush()
    return question


def answer(question: Question, author: User, body: str) -> Answer:
    reply = Answer(question=question, author=author, body=_clean(body, _("Answer"), BODY_MAX))
    db.session.add(reply)
    db.session.flush()
    return reply


def accept(reply: Answer) -> None:
    """Mark one answer as the accepted one; accepting another moves the mark."""
    reply.question.accepted_answer_id = reply.id


def publish_post(department: Department, author: User, title: str, body: str) -> Post:
    post = create_post(department, author, title, body)
    db.session.commit()
    follows.tell_followers("department", department, "follow_post",  # who follows the department hears of it
                           {"name": author.name, "department": department.name, "title": post.title},
                           url_for("departments.show_post", post_id=post.id), author.id)
    return post


def ask_question(department: Department, author: User, title: str, body: str) -> Question:
    question = ask(department, author, title, body)
    db.session.commit()
    social_notices.question_asked(question)  # the department's members hear of it
    return question


def post_answer(question: Question, author: User, body: str) -> Answer:
    reply = answer(question, author, body)
    db.session.commit()
    social_notices.answer_posted(reply)  # tell the asker
    return reply


def accept_answer(reply: Answer, by: User | None = None) -> Question:
    """Accept the answer; its author hears of it the first time (re-accepting tells nobody again)."""
    newly = not reply.accepted
    accept(reply)
    db.session.commit()
    if newly:
        social_notices.answer_accepted(reply, by)
    return reply.question
