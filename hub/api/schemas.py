"""Models of the API itself: the error body and the caller; the shared bases come from hub.schemas."""

from ..schemas import Out, Strict, UserRef

__all__ = ["ErrorBody", "ErrorOut", "MeOut", "Out", "Strict", "UserRef"]


class ErrorBody(Out):
    code: str
    message: str
    field: str | None = None  # the input field a 422 is about, when it is about one


class ErrorOut(Out):
    error: ErrorBody


class MeOut(Out):
    id: int
    name: str
    email: str
    role: str
    job: str | None
    account_id: int | None
    department_ids: list[int]
