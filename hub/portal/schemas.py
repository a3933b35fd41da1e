"""Models of the portal: the customer's space, requests and conversation, and sharing and engagement (staff).

The shared-document answers, built on the documents API's preview model, stay in hub.api.portal_schemas.
"""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ..database import MAX_ID
from ..models.portal import ANNOUNCEMENT_MAX, MESSAGE_MAX, REPLY_MAX
from ..schemas import Out, Strict, UserRef

Ident = Annotated[int, Field(ge=1, le=MAX_ID)]


def _text(maximum: int):
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=maximum)]


class AccountBrandOut(Out):
    id: int
    name: str
    logo_url: str | None
    initial: str
    color: str


class AnnouncementOut(Out):
    id: int
    body: str
    body_html: str
    author: UserRef | None
    created_at: datetime


class TeamCard(Out):
    id: int
    name: str
    title: str
    role: Literal["owner", "service", "team"]
    email: str
    phone: str
    initial: str


class PortalOut(Out):
    account: AccountBrandOut
    welcome: str
    announcements: list[AnnouncementOut]
    team: list[TeamCard]


class ReplyOut(Out):
    id: int
    body: str
    author: UserRef | None
    created_at: datetime


class RequestOut(Out):
    id: int
    kind: Literal["request", "complaint"]
    body: str
    severity: Literal["low", "normal", "high"]
    status: Literal["open", "acknowledged", "answered", "closed"]
    author: UserRef | None
    created_at: datetime
    resolved_at: datetime | None
    replies: list[ReplyOut]


class RequestList(Out):
    requests: list[RequestOut]


class RequestIn(Strict):
    kind: Literal["request", "complaint"] = "request"
    body: _text(5_000)
    severity: Literal["low", "normal", "high"] = "normal"


class MessageOut(Out):
    id: int
    account_id: int
    body: str
    author: UserRef | None
    from_customer: bool
    created_at: datetime


class MessageList(Out):
    messages: list[MessageOut]
    last_id: int


class MessageIn(Strict):
    body: _text(MESSAGE_MAX)


class MessagesQuery(Strict):
    after: int = Field(default=0, ge=0, le=MAX_ID)


# --- staff ------------------------------------------------------------------------------------


class ShareIn(Strict):
    customer_id: Ident
    expires_at: datetime | None = None
    allow_download: bool = False


class ShareOut(Out):
    id: int
    document_id: int
    customer_id: int
    customer_name: str
    allow_download: bool
    expires_at: datetime | None
    created_by: UserRef | None
    created_at: datetime


class ShareList(Out):
    shares: list[ShareOut]


class PageViewOut(Out):
    page: int
    first_at: datetime
    last_at: datetime
    count: int


class ReaderOut(Out):
    user: UserRef
    first_opened_at: datetime
    last_opened_at: datetime
    opens: int
    pages: list[PageViewOut]


class EngagementDocument(Out):
    document_id: int
    title: str
    readers: list[ReaderOut]


class EngagementOut(Out):
    customer_id: int
    documents: list[EngagementDocument]  # only those the caller may see
    hidden_documents: int = Field(description="opened documents the caller may not see: counted, never named")


class AnnouncementIn(Strict):
    body: _text(ANNOUNCEMENT_MAX)


class PortalReplyIn(Strict):
    body: _text(REPLY_MAX)
    resolve: bool = False
