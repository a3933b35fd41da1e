"""The customer VIP portal: every query starts from the signed-in customer's own account."""

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.services import ValidationError
from ..documents.sniff import TYPES
from ..documents.text import csv_rows
from . import access, branding, engagement, services, shares

log = logging.getLogger("hub.portal")

bp = Blueprint("portal", __name__, url_prefix="/portal")
bp.record_once(lambda state: shares.install())


@bp.before_app_request
def end_expired_shares():
    """Before a customer's request, apply shares of their account that expired meanwhile (index, sockets)."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated or not current_user.is_customer:
        return
    try:
        shares.handle_expired(current_user.account_id)
    except Exception:  # noqa: BLE001 - access checks use the clock anyway; never fail the request for this
        log.exception("portal: handling expired shares failed")
        from ..extensions import db

        db.session.rollback()


def labels() -> dict:
    """Words portal.js needs, in the reader's language."""
    return {
        "statuses": {"open": _("Submitted"), "acknowledged": _("In progress"), "answered": _("Answered"),
                     "resolved": _("Resolved")},
        "kinds": {"request": _("Service request"), "complaint": _("Complaint")},
        "live": _("Live"), "offline": _("Reconnecting…"), "closed": _("Access to this page has ended. Reload to continue."),
        "you": _("You"), "team": _("Service team"), "send_failed": _("Sending failed. Please try again."),
        "revoked": _("This document is no longer shared with you."),
    }


bp.cli.help = "Customer portal maintenance."


@bp.cli.command("expire")
def expire_command():
    """Apply the end of expired shares now (search index, open pages); running workers also do it every 15 s."""
    import click

    click.echo(f"{shares.handle_expired()} expired share(s) applied")


@bp.route("/")
def home():
    account = access.my_account()
    return render_template(
        "portal/home.html",
        account=account,
        space=services.space(account),
        documents=[access.document_summary(s.document, s) for s in shares.active_shares(account.id)
                   if s.document.current_version],
        requests=services.requests(account),
        messages=[services.message_json(m) for m in services.messages(account)],
        labels=labels(),
    )


@bp.route("/documents/<int:doc_id>")
def document(doc_id: int):
    account, doc, share, version = access.shared(doc_id)
    engagement.record_open(current_user, doc)
    family = TYPES[version.file_type][2]
    text = rows = None
    truncated = False
    if family == "text" and version.preview_state == "ready" and version.pages:
        text = version.pages[0].text
        engagement.record_page(current_user, doc, 1)
        if version.file_type == "csv":
            rows, truncated = csv_rows(text)
    from ..documents import services as documents

    return render_template(
        "portal/document.html", account=account, brand=access.brand_for_page(account), doc=doc, share=share,
        version=version, family=family, text=text, rows=rows, truncated=truncated,
        preview=documents.preview_state(version), labels=labels(),
    )


@bp.route("/requests", methods=["POST"])
def submit_request():
    account = access.my_account()
    try:
        services.submit_request(account, current_user, request.form.get("kind", "request"),
                                request.form.get("body", ""), request.form.get("severity", "normal"))
    except ValidationError as exc:
        flash(str(exc), "error")
    else:
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


from . import staff  # noqa: E402,F401  (the staff side: sharing, announcements, answers)
