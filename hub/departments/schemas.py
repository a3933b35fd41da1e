"""Input and output models of departments, experience notes and Q&A (the API validates and answers with them)."""

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints

from ..schemas import Out, Strict, UserRef

# Stripped first, so a blank text is refused as missing ("Please fill in this field."), by the field.
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
OptionalBody = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]


class TextIn(Strict):
    """A Markdown body, stripped, non-empty."""

    body: Body


class PostIn(TextIn):
    title: Title


class QuestionIn(Strict):
    title: Title
    body: OptionalBody = ""


class AnswerOut(Out):
    id: int
    question_id: int
    author: UserRef
    body: str
    accepted: bool
    helpful: int = 0  # colleagues who voted it helpful
    helpful_by_me: bool = False
    created_at: datetime


class QuestionSummary(Out):
    id: int
    department_id: int
    title: str
    author: UserRef
    answer_count: int
    accepted_answer_id: int | None
    created_at: datetime


class QuestionOut(QuestionSummary):
    body: str
    answers: list[AnswerOut]


class PostOut(Out):
    id: int
    department_id: int
    title: str
    body: str
    author: UserRef
    created_at: datetime


class PostList(Out):
    posts: list[PostOut]


class DepartmentSummary(Out):
    id: int
    name: str
    description: str
    member_count: int


class DepartmentList(Out):
    departments: list[DepartmentSummary]


class DepartmentOut(DepartmentSummary):
    members: list[UserRef]
    questions: list[QuestionSummary]
