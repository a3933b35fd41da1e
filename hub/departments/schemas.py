"""Input and output models of departments, experience notes and Q&A (the API validates and answers with them)."""

from datetime import datetime

from pydantic import Field, field_validator

from ..schemas import Out, Strict, UserRef


def _not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
    return value


class TextIn(Strict):
    """A Markdown body, stripped, non-empty."""

    body: str = Field(min_length=1, max_length=20_000)

    @field_validator("body")
    @classmethod
    def not_blank(cls, value: str) -> str:
        return _not_blank(value)


class PostIn(TextIn):
    title: str = Field(min_length=1, max_length=200)

    @field_validator("title")
    @classmethod
    def title_not_blank(cls, value: str) -> str:
        return _not_blank(value)


class QuestionIn(Strict):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=20_000)

    @field_validator("title")
    @classmethod
    def title_not_blank(cls, value: str) -> str:
        return _not_blank(value)


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
