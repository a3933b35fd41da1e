"""Pages of the customers area: the account list, the account page with its live feed, posting to it."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import ValidationError as PydanticError

from .. import policy
from ..departments import services as departments
from ..errors import ValidationError, refusal
from ..ids import parse_id
from ..loading import load_visible
from ..models import CustomerAccount
from ..models.customers import ACCOUNT_STATUSES, PORTAL_KINDS, POSTED_KINDS
from . import events, feed, services
from .blueprint import bp
from .schemas import NewEvent

# Which form fields each kind takes (the rest of the composer is ignored for that kind).
KIND_FIELDS = {
    "note": ("body",),
    "call": ("body",),
    "visit": ("body",),
    "task": ("body", "assignee_id", "due_date"),
    "help_request": ("body", "to_user_id", "to_department_id"),
    "complaint": ("body", "severity"),
    "document": ("body", "document_id"),
}


def feed_labels() -> dict:
    """Words for kinds, states and changes, in the reader's language (feed.js gets the same)."""
    return {
        "kinds": {"note": _("Note"), "call": _("Call"), "visit": _("Visit"), "task": _("Task"),
                  "help_request": _("Help request"), "complaint": _("Complaint"), "document": _("Document"),
                  "reply": _("Reply"), "update": _("Update"), "assessment": _("Assessment"),
                  "service_request": _("Service request")},
        "statuses": {"open": _("open"), "done": _("done"), "solved": _("solved"), "acknowledged": _("acknowledged"),
                     "answered": _("answered"), "closed": _("closed")},
        "actions": {"completed": _("completed the task"), "reopened": _("reopened it"),
                    "reassigned": _("assigned it to"), "rescheduled": _("moved the due date to"),
                    "solved": _("marked it solved"), "acknowledged": _("acknowledged the complaint"),
                    "answered": _("answered the customer"), "closed": _("answered and closed the request")},
        "severities": {"low": _("low"), "normal": _("normal"), "high": _("high")},
        # own capitalised words: the lowercase "active" is also a person's status (启用), not an account's
        "account_statuses": {"prospect": _("Prospect"), "active": _("Active customer"), "at_risk": _("At risk"),
                             "churned": _("Churned")},
        "ui": {"assigned_to": _("Assigned to"), "due": _("due"), "asked": _("Asked"), "severity": _("Severity"),
               "live": _("Live"), "offline": _("Reconnecting…"), "new_item": _("New"),
               "mark_done": _("Mark done"), "reopen": _("Reopen"), "reply": _("Reply"), "reply_hint": _("Reply…"),
               "mark_solved": _("Mark solved"), "acknowledge": _("Acknowledge")},
    }


def pydantic_message(exc: PydanticError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ()) if not str(p).startswith("function-"))
    return f"{where}: {err.get('msg', '')}" if where else err.get("msg", "")


def _int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name, ""))


@bp.route("/")
def index():
    args = {k: request.args.get(k, "").strip()[:120] for k in ("q", "industry", "region", "status")}
    owner = current_user.id if request.args.get("mine") == "1" else _int_arg("owner")
    accounts = services.list_accounts(current_user, owner=owner, **args)
    return render_template(
        "customers/index.html",
        accounts=accounts,
        args=args,
        mine=request.args.get("mine") == "1",
        facets=services.facets(),
        statuses=ACCOUNT_STATUSES,
        alerts=events.owner_alerts(current_user),
        labels=feed_labels(),
    )


@bp.route("/<int:account_id>")
def show(account_id: int, errors: dict | None = None, typed: dict | None = None):
    """The account page; after a refused post, `errors` (field: message) and `typed` refill the composer."""
    account = load_visible(CustomerAccount, account_id, policy.can_view_customer)
    kind = request.args.get("kind", "")
    kind = kind if kind in POSTED_KINDS + PORTAL_KINDS else ""
    person = _int_arg("person")
    people = services.staff_people()
    return render_template(
        "customers/show.html",
        account=account,
        detail=services.detail(account),
        items=events.timeline(account, kind or None, person),
        kind=kind,
        person=person,
        people=people,
        departments=departments.active_departments(),
        documents=services.linkable_documents(),
        kinds=POSTED_KINDS + PORTAL_KINDS,
        may_post=policy.can_post_event(current_user, account),
        may_complain=policy.can_log_complaint(current_user, account),
        may_edit=policy.can_edit_account(current_user, account),
        statuses=ACCOUNT_STATUSES,
        policy=policy,
        labels=feed_labels(),
        errors=errors or {},
        typed=typed or {},
    )


@bp.route("/<int:account_id>/events", methods=["POST"])
def post_event(account_id: int):
    account = load_visible(CustomerAccount, account_id, policy.can_view_customer)
    kind = request.form.get("kind", "")
    back = redirect(url_for("customers.show", account_id=account.id))
    if kind not in KIND_FIELDS:
        flash(_("Please choose what kind of entry this is."), "error")
        return back
    if not feed.may_post(current_user, account, kind):
        abort(403)
    raw = {"kind": kind} | {f: request.form[f] for f in KIND_FIELDS[kind] if request.form.get(f, "").strip()}
    try:
        posted = feed.post_event(account, current_user, NewEvent.model_validate(raw).root)
    except PydanticError as exc:  # each message under its field, what was typed kept (hub.errors.refusal)
        return show(account.id, refusal(exc, tagged=True).fields, raw), 422
    except ValidationError as exc:
        return show(account.id, exc.fields or {"": exc.message}, raw), 422
    flash(_("Posted to the account feed."), "success")
    return redirect(url_for("customers.show", account_id=account.id, _anchor=f"e{posted.wire['id']}"))
