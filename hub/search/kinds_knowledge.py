"""Experience notes, questions, answers, comments, customer accounts and people in the index."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db
from ..models import Answer, Comment, CustomerAccount, Department, Document, Post, Question, User
from .hit_rows import Part
from .kinds import KINDS, Entry, Kind, column_rows, register
from .kinds_documents import plain_text
from .urls import build_url


def _post_entries(posts: list[Post]) -> dict[int, Entry]:
    return {
        p.id: Entry(
            title=p.title,
            body=p.body,
            scope=policy.department_content_scope(p.department),
            dept=p.department_id,
            date=p.updated_at or p.created_at,
            typeable=[p.author.name] if p.author else [],
        )
        for p in posts
    }


def _question_entries(questions: list[Question]) -> dict[int, Entry]:
    return {
        q.id: Entry(
            title=q.title,
            body=q.body or "",
            scope=policy.department_content_scope(q.department),
            dept=q.department_id,
            date=q.created_at,
        )
        for q in questions
    }


def _answer_entries(answers: list[Answer]) -> dict[int, Entry]:
    return {
        a.id: Entry(
            title=a.question.title,
            body=a.body,
            scope=policy.department_content_scope(a.question.department),
            dept=a.question.department_id,
            date=a.created_at,
            parent=f"question:{a.question_id}",
        )
        for a in answers
    }


def _comment_entries(comments: list[Comment]) -> dict[int, Entry]:
    entries = {}
    for c in comments:
        target = c.target
        if c.deleted_at is not None or target is None:
            continue
        kind = c.target_kind
        if kind == "document":
            scope, dept, title = policy.document_search_scope(target), target.department_id, target.title
        elif kind == "post":
            scope, dept, title = (
                policy.department_content_scope(target.department),
                target.department_id,
                target.title,
            )
        else:
            question = target.question
            scope, dept, title = (
                policy.department_content_scope(question.department),
                question.department_id,
                question.title,
            )
        entries[c.id] = Entry(
            title=title,
            body=c.body,
            scope=policy.comment_search_scope(scope),
            dept=dept,
            date=c.edited_at or c.created_at,
            parent=f"{kind}:{c.target_id}",
        )
    return entries


def _customer_entries(accounts: list[CustomerAccount]) -> dict[int, Entry]:
    return {
        a.id: Entry(
            title=a.name,
            body=" ".join(x for x in (a.industry, a.region, a.status) if x),
            scope=policy.customer_search_scope(a),
            date=a.created_at,
        )
        for a in accounts
    }


def _person_entries(users: list[User]) -> dict[int, Entry]:
    """People are offered as suggestions to staff only (active staff and admins)."""
    return {
        u.id: Entry(
            title=u.name,
            body=u.title or "",
            scope=["staff", policy.SEARCH_ADMIN_TOKEN],
            typeable=[u.email.split("@")[0]],
        )
        for u in users
        if u.active and u.is_staff
    }


def _passages_of(model, column):
    """ids -> passages, read as (id, text column) rows: a search page needs no ORM objects."""
    return _passages_and_part(model, column)[0]


def _passages_and_part(model, column, url=None):
    """_passages_of, and (for a kind linking by `url`) its part of a page's one statement (hit_rows)."""
    stmt = select(model.id, column).where(model.id.in_(bindparam("ids", expanding=True)))

    def from_rows(rows) -> dict[int, list[tuple[int | None, str]]]:
        return {ident: [(None, plain_text(value))] for ident, value in rows}

    def passages(ids: list[int]) -> dict[int, list[tuple[int | None, str]]]:
        return from_rows(column_rows(stmt, {"ids": list(ids)}))

    part = Part(
        f"{model.__tablename__}.{column.key}", stmt, ("int", "text"), lambda rows: (from_rows(rows), url, {})
    )
    return passages, part


def _hit_rows(part: Part):
    return lambda thumbnails=False: part


_CUSTOMER_PASSAGES = select(CustomerAccount.id, CustomerAccount.industry, CustomerAccount.region).where(
    CustomerAccount.id.in_(bindparam("ids", expanding=True))
)


def _customer_passages(ids: list[int]) -> dict[int, list[tuple[int | None, str]]]:
    return _customer_rows(column_rows(_CUSTOMER_PASSAGES, {"ids": list(ids)}))


def _customer_rows(rows) -> dict[int, list[tuple[int | None, str]]]:
    return {ident: [(None, " ".join(x for x in (industry, region) if x))] for ident, industry, region in rows}


def _customer_url(i: int, p: int | None) -> str:
    return build_url("customers.show", f"/customers/{i}", account_id=i)


_CUSTOMER_PART = Part(
    "customer",
    _CUSTOMER_PASSAGES,
    ("int", "text", "text"),
    lambda rows: (_customer_rows(rows), _customer_url, {}),
)


def _children(column, kind):
    def dependents(ids: list[int]) -> list[tuple[str, int]]:
        model = column.class_
        return [(kind, i) for i in db.session.scalars(select(model.id).where(column.in_(ids)))]

    return dependents


def _department_dependents(ids: list[int]) -> list[tuple[str, int]]:
    """A department's name or activity changes what its notes, questions and documents say and who sees them."""
    out = []
    for model, kind in ((Post, "post"), (Question, "question"), (Document, "document")):
        out += [(kind, i) for i in db.session.scalars(select(model.id).where(model.department_id.in_(ids)))]
    return out


def _comment_page(kind: str, target_id: int, question_id: int | None) -> str:
    """The page a comment sits on: its target's (an answer's comments are on its question's page)."""
    if kind == "answer":
        base = _answer_link(target_id, question_id or 0)
    else:
        target = KINDS.get(kind)
        base = target.url(target_id, None) if target else "#"
    return base.split("#")[0]


def _comment_url(ident: int, page: int | None) -> str:
    comment = db.session.get(Comment, ident)
    if comment is None:
        return "#"
    answer = comment.answer if comment.answer_id is not None else None
    question_id = answer.question_id if answer else None
    return f"{_comment_page(comment.target_kind, comment.target_id, question_id)}#comment-{ident}"


# Built once: a statement made per search costs more to construct than to run (the SQL is cached).
# A page's comment hits: their bodies and targets (an answer's question too), in one statement.
_COMMENT_HITS = (
    select(
        Comment.id, Comment.body, Comment.document_id, Comment.post_id, Comment.answer_id, Answer.question_id
    )
    .outerjoin(Answer, Answer.id == Comment.answer_id)
    .where(Comment.id.in_(bindparam("ids", expanding=True)))
)


def _comment_hit_parts(ids: list[int]):
    """Passages and links of a page's comment hits, however many, from one statement."""
    return _comment_rows(column_rows(_COMMENT_HITS, {"ids": list(ids)}))


def _comment_rows(rows):
    passages, links, pages = {}, {}, {}
    for ident, body, document_id, post_id, answer_id, question_id in rows:
        passages[ident] = [(None, plain_text(body))]
        if document_id is not None:
            target = ("document", document_id, None)
        elif post_id is not None:
            target = ("post", post_id, None)
        else:
            target = ("answer", answer_id, question_id)
        page = pages.get(target)
        if page is None:  # comments of one thread share their page's link
            page = pages[target] = _comment_page(*target)
        links[ident] = f"{page}#comment-{ident}"
    return passages, lambda ident, page: links.get(ident, "#")


def _answer_link(ident: int, question_id: int) -> str:
    return build_url(
        "departments.show_question",
        f"/departments/questions/{question_id}",
        anchor=f"answer-{ident}",
        question_id=question_id,
    )


def _answer_url(ident: int, page: int | None) -> str:
    answer = db.session.get(Answer, ident)
    return _answer_link(ident, answer.question_id if answer else 0)


_ANSWER_HITS = select(Answer.id, Answer.body, Answer.question_id).where(
    Answer.id.in_(bindparam("ids", expanding=True))
)


def _answer_hit_parts(ids: list[int]):
    """Passages and links (on their question's page) of a page's answer hits, from one statement."""
    return _answer_rows(column_rows(_ANSWER_HITS, {"ids": list(ids)}))


def _answer_rows(rows):
    passages, questions = {}, {}
    for ident, body, question_id in rows:
        passages[ident] = [(None, plain_text(body))]
        questions[ident] = question_id
    return passages, lambda ident, page: _answer_link(ident, questions.get(ident, 0))


def _post_url(i: int, p: int | None) -> str:
    return build_url("departments.show_post", f"/departments/posts/{i}", post_id=i)


def _question_url(i: int, p: int | None) -> str:
    return build_url("departments.show_question", f"/departments/questions/{i}", question_id=i)


# (comment and answer parts turn rows into passages and links; their kinds link through them)
_COMMENT_PART = Part(
    "comment",
    _COMMENT_HITS,
    ("int", "text", "int", "int", "int", "int"),
    lambda rows: (*_comment_rows(rows), {}),
)
_ANSWER_PART = Part("answer", _ANSWER_HITS, ("int", "text", "int"), lambda rows: (*_answer_rows(rows), {}))


def register_kinds() -> None:
    """Make notes, Q&A, comments, accounts, people and departments searchable (from init_app)."""
    post_passages, post_part = _passages_and_part(Post, Post.body, _post_url)
    question_passages, question_part = _passages_and_part(Question, Question.body, _question_url)
    register(
        Kind(
            "post",
            Post,
            build=_post_entries,
            url=_post_url,
            passages=post_passages,
            dependents=_children(Comment.post_id, "comment"),
            options=(selectinload(Post.department), selectinload(Post.author)),
            extra={"hit_rows": _hit_rows(post_part)},
        ),
        watch={Post: lambda s, p: [("post", p.id)]},
    )
    register(
        Kind(
            "question",
            Question,
            build=_question_entries,
            url=_question_url,
            passages=question_passages,
            dependents=_children(Answer.question_id, "answer"),
            options=(selectinload(Question.department),),
            extra={"hit_rows": _hit_rows(question_part)},
        ),
        watch={Question: lambda s, q: [("question", q.id)]},
    )
    register(
        Kind(
            "answer",
            Answer,
            build=_answer_entries,
            url=_answer_url,
            passages=_passages_of(Answer, Answer.body),
            dependents=_children(Comment.answer_id, "comment"),
            options=(selectinload(Answer.question).selectinload(Question.department),),
            extra={"hit_parts": _answer_hit_parts, "hit_rows": _hit_rows(_ANSWER_PART)},
        ),
        watch={Answer: lambda s, a: [("answer", a.id)]},
    )
    register(
        Kind(
            "comment",
            Comment,
            build=_comment_entries,
            url=_comment_url,
            passages=_passages_of(Comment, Comment.body),
            extra={"hit_parts": _comment_hit_parts, "hit_rows": _hit_rows(_COMMENT_PART)},
        ),
        watch={Comment: lambda s, c: [("comment", c.id)]},
    )
    register(
        Kind(
            "customer",
            CustomerAccount,
            build=_customer_entries,
            url=_customer_url,
            passages=_customer_passages,
            extra={"hit_rows": _hit_rows(_CUSTOMER_PART)},
        ),
        watch={CustomerAccount: lambda s, a: [("customer", a.id)]},
    )
    register(
        Kind(
            "person",
            User,
            build=_person_entries,
            url=lambda i, p: build_url("social.person", "/people", user_id=i),
            searchable=False,
        ),
        watch={User: lambda s, u: [("person", u.id)]},
    )
    register(
        Kind(
            "department",
            Department,
            build=lambda rows: {},
            url=lambda i, p: "#",
            searchable=False,
            dependents=_department_dependents,
        ),
        watch={Department: lambda s, d: [("department", d.id)]},
    )
