"""Request and response models of the search API."""

from pydantic import BaseModel, ConfigDict, Field

from .schemas import Out


class SearchQuery(BaseModel):
    """Query-string parameters; odd but harmless values are clamped rather than refused."""

    model_config = ConfigDict(extra="ignore")

    q: str = ""
    kind: str = ""
    department_id: int | None = None
    category: str = ""
    file_type: str = ""
    min_rating: float | None = Field(default=None, ge=0, le=5)
    since: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10


class SearchResult(Out):
    kind: str
    id: int
    title: str
    snippet_html: str
    url: str
    page: int | None
    department_id: int | None
    department: str
    category: str
    file_type: str
    rating: float | None
    date: str | None
    thumbnail: str | None
    matched_tags: list[str] = []  # the hit's tags that the query asked for


class FacetValue(Out):
    value: str | int
    count: int
    label: str = ""


class Notice(Out):
    code: str
    message: str


class SearchOut(Out):
    total: int
    page: int
    per_page: int
    pages: int
    results: list[SearchResult]
    facets: dict[str, list[FacetValue]]
    notice: str | None
    notices: list[Notice]


class SuggestQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: str = ""


class Suggestion(Out):
    kind: str
    id: int | None
    label: str
    detail: str  # what it is, in the reader's language (Documents, People, ...)
    url: str


class SuggestOut(Out):
    suggestions: list[Suggestion]
