"""The notifications part of the JSON API: my notifications, and marking them read."""

from flask_login import current_user

from ..notifications import service
from .blueprint import bp
from .notifications_schemas import NotificationList, NotificationsQuery, ReadIn, ReadOut
from .spec import operation, parse_body, parse_query, respond


@bp.get("/notifications")
@operation("My notifications, newest first, with the unread count", "notifications",
           query=NotificationsQuery, responses={200: NotificationList})
def list_notifications():
    q = parse_query(NotificationsQuery)
    rows = service.recent(current_user.id, unread_only=q.unread, limit=q.limit)
    return respond(NotificationList, {
        "notifications": [service.as_json(n) for n in rows],
        "unread": service.unread_count(current_user.id),
    })


@bp.post("/notifications/read")
@operation("Mark some of my notifications read (`ids`), or all of them (`all: true`)", "notifications",
           body=ReadIn, responses={200: ReadOut})
def read_notifications():
    data = parse_body(ReadIn)
    if data.all:
        marked = service.mark_read(current_user.id)
    else:
        marked = service.mark_read(current_user.id, list(data.ids or []))
    return respond(ReadOut, {"marked": marked, "unread": service.unread_count(current_user.id)})
