"""Models of customer accounts and their feed: what may be posted (pages, API, portal and demo check input
with them), one event's shape (the API's answer and the `feed_event` Socket.IO message), the accounts."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, RootModel, StringConstraints, TypeAdapter

from ..database import MAX_ID
from ..schemas import Out, Strict, UserRef

BODY_MAX = 5_000
MAX_EVENT_ID = MAX_ID  # ids are database integers: a larger one names nothing (and PostgreSQL refuses it)

Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=BODY_MAX)]
OptionalBody = Annotated[str, StringConstraints(strip_whitespace=True, max_length=BODY_MAX)]
Ident = Annotated[int, Field(ge=1, le=MAX_EVENT_ID)]


class NoteIn(Strict):
    kind: Literal["note", "call", "visit"]
    body: Body


class TaskIn(Strict):
    kind: Literal["task"]
    body: Body
    assignee_id: Ident | None = None
    due_date: date | None = None


class HelpRequestIn(Strict):
    """Addressed to one colleague (`to_user_id`) or to a department (`to_department_id`); given both,
    the named colleague is asked."""

    kind: Literal["help_request"]
    body: Body
    to_user_id: Ident | None = None
    to_department_id: Ident | None = None


class ComplaintIn(Strict):
    kind: Literal["complaint"]
    body: Body
    severity: Literal["low", "normal", "high"] = "normal"


class DocumentLinkIn(Strict):
    kind: Literal["document"]
    document_id: Ident
    body: OptionalBody = ""


EventIn = Annotated[NoteIn | TaskIn | HelpRequestIn | ComplaintIn | DocumentLinkIn, Field(discriminator="kind")]
event_in = TypeAdapter(EventIn)


class NewEvent(RootModel[EventIn]):
    """A new feed event; `kind` decides which other fields it takes."""


class TaskPatch(Strict):
    """Change a task: any subset of status, assignee and due date (null clears the due date)."""

    status: Literal["open", "done"] | None = None
    assignee_id: Ident | None = None
    due_date: date | None = None


class ReplyIn(Strict):
    body: Body


class HelpRequestPatch(Strict):
    status: Literal["open", "solved"]


class EventsQuery(Strict):
    after: int = Field(default=0, ge=0, le=MAX_EVENT_ID)
    limit: int = Field(default=100, ge=1, le=500)
    kind: str | None = Field(default=None, max_length=20)
    person: Ident | None = None


class CustomersQuery(Strict):
    q: str = Field(default="", max_length=120)
    industry: str = Field(default="", max_length=80)
    region: str = Field(default="", max_length=80)
    status: str = Field(default="", max_length=20)
    owner: Ident | None = None


# --- one event, as the API answers it and Socket.IO sends it ---------------------------------


class DepartmentRef(Out):
    id: int
    name: str


class DocumentRef(Out):
    id: int
    title: str


class ParentState(Out):
    id: int
    kind: str
    status: str | None


class TaskState(Out):
    assignee: UserRef | None
    due_date: date | None
    status: str
    closed_by: UserRef | None
    closed_at: datetime | None


class HelpRequestState(Out):
    to_user: UserRef | None
    to_department: DepartmentRef | None
    status: str
    closed_by: UserRef | None
    closed_at: datetime | None


class ComplaintState(Out):
    severity: str
    source: str
    status: str
    acknowledged_by: UserRef | None
    acknowledged_at: datetime | None


class ServiceRequestState(Out):
    """A customer's request from the portal: open, answered by the team, closed."""

    severity: str
    status: str
    closed_by: UserRef | None
    closed_at: datetime | None


class EventOut(Out):
    id: int
    account_id: int
    kind: str
    body: str
    body_html: str
    author: UserRef | None
    created_at: datetime
    parent_id: int | None
    action: str | None
    parent: ParentState | None
    task: TaskState | None
    help_request: HelpRequestState | None
    complaint: ComplaintState | None
    service_request: ServiceRequestState | None = None
    document: DocumentRef | None


# --- lists and accounts, as the API answers them ----------------------------------------------


class EventList(Out):
    events: list[EventOut]
    last_id: int
    more: bool


class ContactOut(Out):
    id: int
    name: str
    title: str
    phone: str
    email: str
    note: str


class CustomerSummary(Out):
    id: int
    name: str
    industry: str
    region: str
    status: str
    active: bool
    owner: UserRef | None


class CustomerList(Out):
    customers: list[CustomerSummary]


class CustomerOut(CustomerSummary):
    team: list[UserRef]
    service_contacts: list[UserRef]
    key_contacts: list[ContactOut]
    open_complaints: int
    open_tasks: int
    last_event_id: int


class AlertList(Out):
    complaints: list[EventOut]
    count: int = Field(description="all open complaints on the caller's accounts (the list shows the newest)")
