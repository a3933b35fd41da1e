"""The staff side of the portal (pages): share and revoke documents, announce, answer, set the logo.

Its own blueprint `sharing` (STAFF routes), registered next to the portal's in this area's init_app, so
that nothing under `portal.` is ever open to staff and nothing here to customers.
"""

from dataclasses import dataclass
from datetime import datetime, time
from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, literal, null, select, text, union_all

from .. import policy
from ..errors import ValidationError
from ..extensions import db
from ..ids import parse_id
from ..loading import load_visible
from ..models import CustomerAccount, Document, PortalRequest, Share, utcnow
from . import branding, engagement, services, shares

bp = Blueprint("sharing", __name__, url_prefix="/sharing")


def _account_page(account_id: int):
    return redirect(url_for("customers.show", account_id=account_id, _anchor="portal"))


def _serving(account_id: int) -> CustomerAccount:
    account = load_visible(CustomerAccount, account_id, policy.can_view_customer)
    if not policy.can_serve_account(current_user, account):
        abort(403)
    return account


def _ids(name: str) -> list[int]:
    return [i for i in map(parse_id, request.form.getlist(name)) if i is not None]


# The accounts a document may be shared with (active ones, as customers.list_accounts orders and caps
# them), after the document's shares (shares.DOCUMENT_SHARE_ROWS): one statement of plain rows, each
# part in its own order (`pos`); built once, as every document page asks.
_SHAREABLE_ACCOUNTS = (
    select(CustomerAccount.id, CustomerAccount.name)
    .where(CustomerAccount.active)
    .order_by(CustomerAccount.name)
    .limit(500)
    .subquery()
)
_SHARES = shares.DOCUMENT_SHARE_ROWS.subquery()
_PANEL_ROWS = {
    staff: union_all(
        select(literal(0).label("part"), *_SHARES.c),
        *([select(literal(1), _SHAREABLE_ACCOUNTS.c.id, *[null()] * 3, _SHAREABLE_ACCOUNTS.c.name,
                  *[null()] * 3, func.row_number().over(order_by=_SHAREABLE_ACCOUNTS.c.name))] if staff else []),
    ).order_by(text("part"), text("pos"))
    for staff in (False, True)
}


@dataclass(frozen=True)
class ShownShare:
    """What the share panel and policy.can_revoke_share read of a Share, from its row."""

    id: int
    allow_download: bool
    expires_at: datetime | None
    created_by_id: int | None
    account: SimpleNamespace  # name, active, owner_id
    created_by: SimpleNamespace | None  # name
    document: Document


@bp.app_template_global()
def document_sharing(doc: Document) -> dict:
    """What the share form on a document page needs: its active shares and the accounts it may go to."""
    staff = bool(current_user.is_staff)
    listed, accounts = [], []
    # plain columns: through the session's connection, without the ORM's per-statement layer
    rows = db.session.connection().execute(_PANEL_ROWS[staff], {"document_id": doc.id, "now": utcnow()})
    for part, ident, allow, expires, creator_id, name, active, owner_id, creator, _pos in rows:
        if part == 0:
            account = SimpleNamespace(name=name, active=active, owner_id=owner_id)
            made_by = SimpleNamespace(name=creator) if creator_id is not None else None
            listed.append(ShownShare(ident, allow, expires, creator_id, account, made_by, doc))
        else:
            accounts.append(SimpleNamespace(id=ident, name=name))
    return {"shares": listed, "accounts": accounts, "may_share": staff and bool(accounts), "policy": policy}


@bp.app_template_global()
def portal_panel(account: CustomerAccount) -> dict:
    """What the portal panel on an account page shows: shares, engagement, requests, conversation."""
    active = shares.active_shares(account.id)
    # Department-only documents stay in their department: others only see how many there are.
    visible = [s for s in active if policy.can_view_document(current_user, s.document)]
    read, hidden_read = (engagement.report(account, current_user)
                         if policy.can_view_engagement(current_user, account) else (None, 0))
    return {
        "shares": visible,
        "hidden_shares": len(active) - len(visible),
        "announcements": services.announcements(account, limit=5),
        "requests": services.requests(account, limit=20),
        "messages": [services.message_json(m) for m in services.messages(account, limit=50)],
        "engagement": read,
        "hidden_engagement": hidden_read,
        "may_serve": policy.can_serve_account(current_user, account),
        "logo_url": branding.logo_url(account, staff=True),
        "initial": branding.initial(account),
        "color_index": branding.color_index(account),
        "brand": branding.brand(account),
        "policy": policy,
    }


@bp.route("/documents/<int:doc_id>/shares", methods=["POST"])
def create_share(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    back = redirect(url_for("documents.show", doc_id=doc.id, _anchor="sharing"))
    expires_at = None
    raw = request.form.get("expires_on", "").strip()
    if raw:
        try:
            # End of the chosen day (UTC): a share "until the 30th" works through the 30th.
            expires_at = datetime.combine(datetime.strptime(raw, "%Y-%m-%d").date(), time(23, 59, 59))
        except ValueError:
            flash(_("Please give the expiry date as YYYY-MM-DD."), "error")
            return back
    ids = _ids("account_id")
    if not ids:
        flash(_("Choose at least one customer account."), "error")
        return back
    done = []
    for account_id in dict.fromkeys(ids):
        account = db.session.get(CustomerAccount, account_id)
        if account is None or not policy.can_share_document(current_user, doc, account):
            flash(_("This document cannot be shared with that account."), "error")
            continue
        try:
            shares.share(doc, account, current_user, expires_at, request.form.get("allow_download") == "1")
        except ValidationError as exc:
            flash(str(exc), "error")
        else:
            done.append(account.name)
    if done:
        flash(_("Shared with %(names)s.", names="、".join(done)), "success")
    return back


@bp.route("/shares/<int:share_id>/revoke", methods=["POST"])
def revoke_share(share_id: int):
    row = load_visible(Share, share_id, lambda user, s: policy.can_view_customer(user, s.account)
                       and policy.can_view_document(user, s.document))
    if not policy.can_revoke_share(current_user, row):
        abort(403)
    shares.revoke(row, current_user)
    flash(_("The share was revoked; the customer no longer sees this document."), "success")
    if request.form.get("back") == "account":
        return _account_page(row.account_id)
    return redirect(url_for("documents.show", doc_id=row.document_id, _anchor="sharing"))


@bp.route("/accounts/<int:account_id>/announcements", methods=["POST"])
def post_announcement(account_id: int):
    account = _serving(account_id)
    try:
        services.post_announcement(account, current_user, request.form.get("body", ""))
    except ValidationError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Announcement posted to the customer's portal."), "success")
    return _account_page(account.id)


@bp.route("/accounts/<int:account_id>/messages", methods=["POST"])
def send_message(account_id: int):
    account = _serving(account_id)
    try:
        services.send_message(account, current_user, request.form.get("body", ""))
    except ValidationError as exc:
        flash(str(exc), "error")
    return _account_page(account.id)


@bp.route("/requests/<int:request_id>/replies", methods=["POST"])
def reply_request(request_id: int):
    row = db.session.get(PortalRequest, request_id)
    if row is None:
        abort(404)
    account = _serving(row.account_id)
    try:
        services.reply_request(row, current_user, request.form.get("body", ""), request.form.get("resolve") == "1")
    except ValidationError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Your answer is in the customer's portal."), "success")
    return _account_page(account.id)


@bp.route("/accounts/<int:account_id>/brand", methods=["POST"])
def upload_logo(account_id: int):
    account = load_visible(CustomerAccount, account_id, policy.can_view_customer)
    if not policy.can_edit_account(current_user, account):
        abort(403)
    upload = request.files.get("logo")
    try:
        branding.update(account, upload if upload and upload.filename else None, request.form.get("welcome"))
    except ValidationError as exc:
        flash(str(exc), "error")
    else:
        flash(_("The portal's look was updated."), "success")
    return _account_page(account.id)


@bp.route("/accounts/<int:account_id>/logo")
def account_logo(account_id: int):
    account = load_visible(CustomerAccount, account_id, policy.can_view_customer)
    path = branding.logo_file(account)
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/png", conditional=True)
