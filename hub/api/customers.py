"""Customer accounts and their feed over JSON: accounts, events, tasks, help requests, complaints."""

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..customers import events, feed, replay, services
from ..customers.schemas import (
    AlertList,
    CustomerList,
    CustomerOut,
    CustomersQuery,
    EventList,
    EventOut,
    EventsQuery,
    HelpRequestPatch,
    NewEvent,
    ReplyIn,
    TaskPatch,
)
from ..errors import ApiError
from ..loading import load_visible
from ..models import CustomerAccount, FeedEvent
from .blueprint import bp
from .spec import operation, parse_body, parse_query, respond


def _item(event_id: int, kind: str) -> FeedEvent:
    """Load a feed item of one kind that the caller may see, or 404."""
    ev = load_visible(FeedEvent, event_id, lambda user, e: policy.can_view_customer(user, e.account))
    if ev.kind != kind:
        abort(404)
    return ev


@bp.get("/customers")
@operation("Customer accounts, filtered by search text, industry, region, status or owner", "customers",
           query=CustomersQuery, responses={200: CustomerList})
def list_customers():
    q = parse_query(CustomersQuery)
    rows = services.list_accounts(current_user, q.q, q.industry, q.region, q.status, q.owner)
    return respond(CustomerList, {"customers": [services.summary(a) for a in rows]})


@bp.get("/customers/<int:account_id>")
@operation("One customer account: owner, team, service contacts, key contacts, open items", "customers",
           responses={200: CustomerOut})
def get_customer(account_id: int):
    account = load_visible(CustomerAccount, account_id, policy.can_view_customer)
    return respond(CustomerOut, services.detail(account))


@bp.get("/customers/<int:account_id>/events")
@operation("The account feed after an event id, in ascending ids (replay after a reconnect)", "customers",
           query=EventsQuery, responses={200: EventList})
def list_customer_events(account_id: int):
    account = replay.account_row(account_id)  # columns only: load_visible's ORM object cost more than the rest
    if account is None or not policy.can_view_customer(current_user, account):
        abort(404)
    q = parse_query(EventsQuery)
    rows, more = replay.replay_views(account, q.after, q.limit, q.kind, q.person)  # no ORM objects: see there
    data = {"events": [events.event_json(e) for e in rows], "last_id": rows[-1].id if rows else q.after, "more": more}
    return respond(EventList, data)


@bp.post("/customers/<int:account_id>/events")
@operation("Post to the account feed: note, call, visit, task, help_request, complaint or document", "customers",
           body=NewEvent, responses={201: EventOut})
def create_customer_event(account_id: int):
    account = load_visible(CustomerAccount, account_id, policy.can_view_customer)
    data = parse_body(NewEvent).root
    if not feed.may_post(current_user, account, data.kind):
        raise ApiError(403, _("You may not post this on this account."))
    return respond(EventOut, feed.post_event(account, current_user, data).wire, 201)


@bp.patch("/tasks/<int:task_id>")
@operation("Complete, reopen, reassign or reschedule a task", "customers", body=TaskPatch,
           responses={200: EventOut})
def update_task(task_id: int):
    task = _item(task_id, "task")
    data = parse_body(TaskPatch)
    if not policy.can_change_task(current_user, task):
        raise ApiError(403, _("Only the author, the assignee or the account owner changes this task."))
    feed.change_task(task, current_user, data.status, data.assignee_id, data.due_date,
                     set_due="due_date" in data.model_fields_set)
    return respond(EventOut, events.event_json(task))


@bp.post("/help-requests/<int:request_id>/replies")
@operation("Reply to a help request", "customers", body=ReplyIn, responses={201: EventOut})
def create_help_reply(request_id: int):
    item = _item(request_id, "help_request")
    data = parse_body(ReplyIn)
    if not policy.can_reply_request(current_user, item):
        raise ApiError(403, _("You may not reply here."))
    ev = feed.reply(item, current_user, data.body)
    return respond(EventOut, events.event_json(ev), 201)


@bp.patch("/help-requests/<int:request_id>")
@operation("Mark a help request solved, or open again", "customers", body=HelpRequestPatch,
           responses={200: EventOut})
def update_help_request(request_id: int):
    item = _item(request_id, "help_request")
    data = parse_body(HelpRequestPatch)
    if not policy.can_solve_request(current_user, item):
        raise ApiError(403, _("Only the asker or the people asked mark this solved."))
    feed.set_request_status(item, current_user, data.status)
    return respond(EventOut, events.event_json(item))


@bp.post("/complaints/<int:complaint_id>/acknowledge")
@operation("Acknowledge a complaint (account owner)", "customers", responses={200: EventOut})
def acknowledge_complaint(complaint_id: int):
    item = _item(complaint_id, "complaint")
    if not policy.can_acknowledge(current_user, item):
        raise ApiError(403, _("Only the account owner acknowledges a complaint."))
    feed.acknowledge(item, current_user)
    return respond(EventOut, events.event_json(item))


@bp.get("/complaints/alerts")
@operation("Open complaints on the accounts I own (until acknowledged or answered): the newest, and how many",
           "customers", responses={200: AlertList})
def list_complaint_alerts():
    rows = events.owner_alerts(current_user)
    return respond(AlertList, {"complaints": [events.event_json(e) for e in rows],
                               "count": events.owner_alert_count(current_user)})
