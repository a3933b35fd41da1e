"""Request and response models of notifications (the list, the unread count, marking read)."""

from datetime import datetime
from typing import Any

from pydantic import Field

from ..customers.schemas import Ident
from .schemas import Out, Strict, UserRef


class NotificationOut(Out):
    id: int
    kind: str
    text: str  # worded in the reader's language (the request's)
    params: dict[str, Any]  # the values the text was worded from (names, titles, counts)
    url: str
    actor: UserRef | None
    created_at: datetime
    read: bool


class NotificationList(Out):
    notifications: list[NotificationOut]
    unread: int


class NotificationsQuery(Strict):
    unread: bool = False
    limit: int = Field(default=50, ge=1, le=200)


class ReadIn(Strict):
    """Mark the listed notifications read, or all of them with `all: true`."""

    ids: list[Ident] | None = Field(default=None, max_length=500)
    all: bool = False


class ReadOut(Out):
    marked: int
    unread: int

