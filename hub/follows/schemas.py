"""Output models of follows (the API speaks them)."""

from datetime import datetime

from ..schemas import Out


class FollowOut(Out):
    kind: str  # document, department, question, customer
    id: int
    title: str
    url: str
    created_at: datetime


class FollowList(Out):
    follows: list[FollowOut]


class FollowState(Out):
    kind: str
    id: int
    following: bool
