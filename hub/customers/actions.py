"""Page actions on feed items (tasks, help requests, complaints) and on the account's team and contacts."""

from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..errors import ValidationError
from ..ids import parse_id
from ..loading import load_visible
from ..models import AccountContact, CustomerAccount, FeedEvent
from . import feed, services
from .blueprint import bp

BODY_MAX = 5_000


def _item(event_id: int, kind: str) -> FeedEvent:
    ev = load_visible(FeedEvent, event_id, lambda user, e: policy.can_view_customer(user, e.account))
    if ev.kind != kind:
        abort(404)
    return ev


def _back(ev_or_account, anchor: int | None = None):
    account_id = getattr(ev_or_account, "account_id", None) or ev_or_account.id
    return redirect(url_for("customers.show", account_id=account_id, _anchor=f"e{anchor}" if anchor else None))


def _form_id(name: str) -> int | None:
    return parse_id(request.form.get(name, ""))


@bp.route("/tasks/<int:task_id>", methods=["POST"])
def update_task(task_id: int):
    task = _item(task_id, "task")
    if not policy.can_change_task(current_user, task):
        abort(403)
    status = request.form.get("status") or None
    if status not in (None, "open", "done"):
        abort(400)
    due, set_due = None, "due_date" in request.form
    if set_due and request.form["due_date"].strip():
        try:
            due = date.fromisoformat(request.form["due_date"].strip())
        except ValueError:
            flash(_("Please give the due date as YYYY-MM-DD."), "error")
            return _back(task, task.id)
    try:
        feed.change_task(task, current_user, status, _form_id("assignee_id"), due, set_due=set_due)
    except ValidationError as exc:
        flash(str(exc), "error")
    return _back(task, task.id)


@bp.route("/requests/<int:request_id>/replies", methods=["POST"])
def reply(request_id: int):
    item = _item(request_id, "help_request")
    if not policy.can_reply_request(current_user, item):
        abort(403)
    body = request.form.get("body", "").strip()
    if not body or len(body) > BODY_MAX:
        flash(_("A reply needs 1 to %(n)d characters.", n=BODY_MAX), "error")
    else:
        feed.reply(item, current_user, body)
    return _back(item, item.id)


@bp.route("/requests/<int:request_id>/status", methods=["POST"])
def set_request_status(request_id: int):
    item = _item(request_id, "help_request")
    if not policy.can_solve_request(current_user, item):
        abort(403)
    status = request.form.get("status")
    if status not in ("open", "solved"):
        abort(400)
    feed.set_request_status(item, current_user, status)
    return _back(item, item.id)


@bp.route("/complaints/<int:complaint_id>/acknowledge", methods=["POST"])
def acknowledge(complaint_id: int):
    item = _item(complaint_id, "complaint")
    if not policy.can_acknowledge(current_user, item):
        abort(403)
    feed.acknowledge(item, current_user)
    flash(_("Complaint acknowledged."), "success")
    if request.form.get("back") == "list":
        return redirect(url_for("customers.index", _anchor="complaints"))
    return _back(item, item.id)


def _editable(account_id: int) -> CustomerAccount:
    account = load_visible(CustomerAccount, account_id, policy.can_view_customer)
    if not policy.can_edit_account(current_user, account):
        abort(403)
    return account


def _save(work, account: CustomerAccount, done: str):
    try:
        work()  # one service function, which commits
    except ValidationError as exc:
        flash(str(exc), "error")
    else:
        flash(done, "success")
    return _back(account)


@bp.route("/<int:account_id>/edit", methods=["POST"])
def edit(account_id: int):
    account = _editable(account_id)
    form = request.form
    return _save(lambda: services.change_account(account, form.get("industry", ""), form.get("region", ""),
                                                 form.get("status", ""), _form_id("owner_id")),
                 account, _("Account updated."))


@bp.route("/<int:account_id>/members", methods=["POST"])
def add_member(account_id: int):
    account = _editable(account_id)
    user_id = _form_id("user_id")
    if user_id is None:
        flash(_("Please choose a colleague."), "error")
        return _back(account)
    return _save(lambda: services.join_team(account, user_id, request.form.get("role", "")), account,
                 _("Team updated."))


@bp.route("/<int:account_id>/members/remove", methods=["POST"])
def remove_member(account_id: int):
    account = _editable(account_id)
    user_id = _form_id("user_id") or 0
    return _save(lambda: services.leave_team(account, user_id, request.form.get("role", "")), account,
                 _("Team updated."))


@bp.route("/<int:account_id>/contacts", methods=["POST"])
def add_contact(account_id: int):
    account = _editable(account_id)
    form = request.form
    return _save(lambda: services.new_contact(account, form.get("name", ""), form.get("title", ""),
                                              form.get("phone", ""), form.get("email", ""), form.get("note", "")),
                 account, _("Contact added."))


@bp.route("/contacts/<int:contact_id>/remove", methods=["POST"])
def remove_contact(contact_id: int):
    contact = load_visible(AccountContact, contact_id, lambda user, c: policy.can_view_customer(user, c.account))
    account = _editable(contact.account_id)
    return _save(lambda: services.drop_contact(contact), account, _("Contact removed."))
