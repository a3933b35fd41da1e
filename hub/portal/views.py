"""The customer VIP portal (pages): every query starts from the signed-in customer's own account.

The staff side has its own blueprint (staff.py); both are registered in this area's init_app.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import ValidationError as PydanticError

from ..documents import services as documents
from ..documents.sniff import TYPES
from ..documents.text import csv_rows
from ..errors import ValidationError, refusal
from . import access, branding, engagement, services, shares
from .schemas import RequestIn

bp = Blueprint("portal", __name__, url_prefix="/portal")


@bp.before_app_request
def end_expired_shares():
    """Before a customer's request, apply shares of their account that expired meanwhile (index, sockets)."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated or not current_user.is_customer:
        return
    shares.handle_expired_quietly(current_user.account_id)


def labels() -> dict:
    """Words portal.js needs, in the reader's language."""
    return {
        "statuses": {"open": _("Submitted"), "acknowledged": _("In progress"), "answered": _("Answered"),
                     "closed": _("Resolved")},
        "kinds": {"request": _("Service request"), "complaint": _("Complaint")},
        "live": _("Live"), "offline": _("Reconnecting…"), "closed": _("Access to this page has ended. Reload to continue."),
        "you": _("You"), "team": _("Service team"), "send_failed": _("Sending failed. Please try again."),
        "revoked": _("This document is no longer shared with you."),
    }


@bp.route("/")
def home():
    return _home(access.my_account())


def _home(account, request_form: dict | None = None, errors: dict[str, str] | None = None, status: int = 200):
    """The portal page; after a refused request the form comes back open, as typed, each message by its field."""
    return render_template(
        "portal/home.html",
        account=account,
        space=services.space(account),
        documents=[access.document_summary(s.document, s) for s in shares.active_shares(account.id)
                   if s.document.current_version],
        requests=services.requests(account),
        messages=[services.message_json(m) for m in services.messages(account)],
        labels=labels(),
        request_form=request_form or {},
        errors=errors or {},
    ), status


@bp.route("/documents/<int:doc_id>")
def document(doc_id: int):
    account, doc, share, version = access.shared(doc_id)
    family = TYPES[version.file_type].family
    text = rows = None
    truncated = False
    shown = family == "text" and version.preview_state == "ready" and bool(version.pages)
    if shown:
        text = version.pages[0].text
        if version.file_type == "csv":
            rows, truncated = csv_rows(text)
    page = render_template(
        "portal/document.html", account=account, brand=access.brand_for_page(account), doc=doc, share=share,
        version=version, family=family, text=text, rows=rows, truncated=truncated,
        preview=documents.preview_state(version), labels=labels(),
    )
    # recorded once the page is built: its commit would otherwise expire what the page then reloads
    engagement.record_open(current_user, doc, page=1 if shown else None)  # a text is read on the page itself
    return page


@bp.route("/requests", methods=["POST"])
def submit_request():
    account = access.my_account()
    form = {name: request.form.get(name, "") for name in ("kind", "severity", "body")}
    try:
        data = RequestIn.model_validate({k: v for k, v in form.items() if k == "body" or v})
        services.submit_request(account, current_user, data.kind, data.body, data.severity)
    except PydanticError as exc:
        return _home(account, form, refusal(exc).fields, 422)
    except ValidationError as exc:
        # The service's own refusals (a character not allowed, say) are all about the text.
        return _home(account, form, exc.fields or {"body": exc.message}, 422)
    flash(_("Thank you. Your service team has been told and will answer here."), "success")
    return redirect(url_for("portal.home", _anchor="requests"))


@bp.route("/messages", methods=["POST"])
def send_message():
    account = access.my_account()
    try:
        services.send_message(account, current_user, request.form.get("body", ""))
    except ValidationError as exc:
        flash(str(exc), "error")
    return redirect(url_for("portal.home", _anchor="conversation"))


@bp.route("/logo")
def logo():
    account = access.my_account()
    path = branding.logo_file(account)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/png", conditional=True)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response
