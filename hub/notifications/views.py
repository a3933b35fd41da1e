"""Pages of the notifications area: the list, marking read, opening one."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..auth.forms import EmptyForm
from ..loading import load_visible
from ..models import Notification
from . import service

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _safe(url: str) -> str:
    """Only paths inside Hub are followed (never another site)."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else url_for("main.home")


@bp.route("/")
def index():
    unread_only = request.args.get("unread") == "1"
    return render_template(
        "notifications/index.html",
        notes=service.recent(current_user.id, unread_only=unread_only, limit=100),
        unread=service.unread_count(current_user.id),
        unread_only=unread_only,
    )


@bp.route("/read", methods=["POST"])
def mark_read():
    """Mark all read (the form's only button), then come back to the list."""
    if EmptyForm().validate_on_submit():
        service.mark_read(current_user.id)
    return redirect(url_for("notifications.index"))


@bp.route("/<int:note_id>/open", methods=["POST"])
def open(note_id: int):  # noqa: A001 - the endpoint name reads well in templates
    """Mark one notification read and go where it points."""
    note = load_visible(Notification, note_id, policy.can_read_notification)
    if EmptyForm().validate_on_submit():
        service.mark_read(current_user.id, [note.id])
    return redirect(_safe(note.url))

