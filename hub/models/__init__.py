"""SQLAlchemy models, one module per area; importing this package registers them all."""

from ..search.models import SearchWord  # the search area's own model
from .assessments import AccountShare, Assessment
from .base import utcnow
from .customers import AccountContact, AccountMember, FeedEvent
from .documents import CATEGORIES, VISIBILITIES, Document, DocumentPage, DocumentVersion
from .follows import FOLLOW_KINDS, Follow
from .jobs import Job
from .knowledge import Answer, Post, Question
from .notifications import Notification
from .orgs import CustomerAccount, Department, Membership
from .portal import (
    Announcement,
    DocumentOpen,
    PageView,
    PortalBrand,
    PortalMessage,
    PortalReply,
    PortalRequest,
    Share,
)
from .social import (
    AnswerHelpful,
    Comment,
    CommentHelpful,
    CommentMention,
    DocumentView,
    Rating,
    RatingMilestone,
)
from .users import ROLES, AccessToken, LoginSession, User

__all__ = [
    "AccountShare",
    "Assessment",
    "ROLES",
    "AccessToken",
    "LoginSession",
    "AccountContact",
    "AccountMember",
    "Answer",
    "AnswerHelpful",
    "Announcement",
    "DocumentOpen",
    "PageView",
    "PortalBrand",
    "PortalMessage",
    "PortalReply",
    "PortalRequest",
    "Share",
    "CATEGORIES",
    "Comment",
    "CommentHelpful",
    "CommentMention",
    "VISIBILITIES",
    "CustomerAccount",
    "Document",
    "FeedEvent",
    "FOLLOW_KINDS",
    "Follow",
    "Job",
    "DocumentPage",
    "DocumentVersion",
    "DocumentView",
    "Department",
    "Membership",
    "Notification",
    "Post",
    "Question",
    "Rating",
    "RatingMilestone",
    "SearchWord",
    "User",
    "utcnow",
]
