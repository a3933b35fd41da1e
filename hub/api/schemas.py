"""Request and response models shared by API modules."""

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    @field_validator("*", mode="after")
    @classmethod
    def _utc(cls, value):
        """Stored times are naive UTC; say so, so every answer carries an RFC 3339 date-time."""
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class ErrorBody(Out):
    code: str
    message: str
    field: str | None = None  # the input field a 422 is about, when it is about one


class ErrorOut(Out):
    error: ErrorBody


class UserRef(Out):
    id: int
    name: str


class MeOut(Out):
    id: int
    name: str
    email: str
    role: str
    job: str | None
    account_id: int | None
    department_ids: list[int]


def _stripped(value: str) -> str:
    return value.strip()


class TextIn(Strict):
    """A Markdown body, stripped, non-empty."""

    body: str = Field(min_length=1, max_length=20_000)

    @field_validator("body")
    @classmethod
    def not_blank(cls, value: str) -> str:
        value = _stripped(value)
        if not value:
            raise ValueError("must not be blank")
        return value


class PostIn(TextIn):
    title: str = Field(min_length=1, max_length=200)

    @field_validator("title")
    @classmethod
    def title_not_blank(cls, value: str) -> str:
        value = _stripped(value)
        if not value:
            raise ValueError("must not be blank")
        return value


class QuestionIn(Strict):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=20_000)

    @field_validator("title")
    @classmethod
    def title_not_blank(cls, value: str) -> str:
        value = _stripped(value)
        if not value:
            raise ValueError("must not be blank")
        return value


class AnswerOut(Out):
    id: int
    question_id: int
    author: UserRef
    body: str
    accepted: bool
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
