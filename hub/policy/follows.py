"""Follows: staff follow what they may see; a customer account only when they may see the account."""

from __future__ import annotations

from ..models import User
from .customers import can_view_customer
from .departments import can_view_department, can_view_question
from .documents import can_view_document

# What each kind of follow asks of the follower: the same rule that lets them open the thing.
_MAY_SEE = {
    "document": can_view_document,
    "department": can_view_department,
    "question": can_view_question,
    "customer": can_view_customer,
}


def can_follow(user: User, kind: str, target) -> bool:
    """Staff follow documents, departments, questions and accounts they may open (customers follow nothing)."""
    if not getattr(user, "is_authenticated", False) or not user.active or not user.is_staff:
        return False
    may_see = _MAY_SEE.get(kind)
    return may_see is not None and target is not None and may_see(user, target)
