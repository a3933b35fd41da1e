"""Input and output models of the social area: ratings, comments, rankings, experts, people (the API speaks them)."""

from typing import Any

from pydantic import Field

from ..database import MAX_ID
from ..schemas import Out, Strict, UserRef


class RatingIn(Strict):
    # Any JSON value: the service refuses 0, 6, 3.5, "abc" with a clear message.
    stars: Any = Field(
        description="Whole stars, 1 to 5", json_schema_extra={"type": "integer", "minimum": 1, "maximum": 5}
    )


class RatingSummary(Out):
    document_id: int
    average: float | None
    count: int
    distribution: dict[str, int]
    mine: int | None
    score: float


class CommentIn(Strict):
    body: Any = Field(
        description="Markdown, 1 to 5000 characters; @Name mentions a colleague",
        json_schema_extra={"type": "string", "minLength": 1, "maxLength": 5000},
    )


class CommentTarget(Out):
    kind: str
    id: int


class CommentOut(Out):
    id: int
    target: CommentTarget
    author: UserRef
    body: str
    html: str
    mentions: list[UserRef]
    helpful: int
    helpful_by_me: bool
    created_at: str
    edited_at: str | None


class HelpfulSummary(Out):
    kind: str  # "answer" or "comment"
    id: int
    helpful: int  # colleagues who found it helpful
    helpful_by_me: bool


class CommentList(Out):
    comments: list[CommentOut]


class DocumentRef(Out):
    id: int
    title: str
    department_id: int


class RankedDocument(DocumentRef):
    value: float | None = None  # the ranking's measure: score, views or activity


class Rankings(Out):
    best_rated: list[RankedDocument]
    most_viewed: list[RankedDocument]
    newest: list[RankedDocument]
    hot: list[RankedDocument]


class ExpertOut(Out):
    user: UserRef
    score: int
    documents: int
    ratings: int
    star_balance: int
    answers: int
    accepted: int
    helpful: int


class ExpertList(Out):
    department_id: int | None
    tag: str | None
    experts: list[ExpertOut]


class ExpertQuery(Strict):
    department_id: int | None = Field(default=None, ge=0, le=MAX_ID)
    tag: str | None = Field(default=None, max_length=50)


class RankingQuery(Strict):
    department_id: int | None = Field(default=None, ge=0, le=MAX_ID)
    limit: int = Field(default=5, ge=1, le=50)


class PeopleQuery(Strict):
    q: str = Field(default="", max_length=80)


class PersonRef(UserRef):
    title: str | None


class PeopleList(Out):
    people: list[PersonRef]


class Ok(Out):
    ok: bool
