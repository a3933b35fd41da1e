"""SQLAlchemy models, one module per area; importing this package registers them all."""

from .base import utcnow
from .knowledge import Answer, Post, Question
from .orgs import CustomerAccount, Department, Membership
from .users import ROLES, AccessToken, User

__all__ = [
    "ROLES",
    "AccessToken",
    "Answer",
    "CustomerAccount",
    "Department",
    "Membership",
    "Post",
    "Question",
    "User",
    "utcnow",
]
