"""Staff side of the portal over JSON: share and revoke documents, engagement, the conversation."""

from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..errors import ApiError
from ..extensions import db
from ..loading import load_visible
from ..models import CustomerAccount, Document, Share
from ..portal import engagement, services, shares
from ..portal.schemas import (
    EngagementOut,
    MessageIn,
    MessageList,
    MessageOut,
    MessagesQuery,
    ShareIn,
    ShareList,
    ShareOut,
)
from .blueprint import bp
from .spec import operation, parse_body, parse_query, respond


def share_out(row: Share) -> dict:
    creator = row.created_by
    return {"id": row.id, "document_id": row.document_id, "customer_id": row.account_id,
            "customer_name": row.account.name, "allow_download": row.allow_download, "expires_at": row.expires_at,
            "created_by": None if creator is None else {"id": creator.id, "name": creator.name},
            "created_at": row.created_at}


def _serving(account_id: int) -> CustomerAccount:
    account = load_visible(CustomerAccount, account_id, policy.can_view_customer)
    if not policy.can_serve_account(current_user, account):
        raise ApiError(403, _("This account is disabled."))
    return account


@bp.get("/documents/<int:doc_id>/shares")
@operation("The active shares of a document", "portal", responses={200: ShareList})
def list_document_shares(doc_id: int):
    document = load_visible(Document, doc_id, policy.can_view_document)
    return respond(ShareList, {"shares": [share_out(s) for s in shares.document_shares(document)]})


@bp.post("/documents/<int:doc_id>/shares")
@operation("Share a document with a customer account (optional expiry, download allowed or not)", "portal",
           body=ShareIn, responses={201: ShareOut})
def create_share(doc_id: int):
    document = load_visible(Document, doc_id, policy.can_view_document)
    data = parse_body(ShareIn)
    account = db.session.get(CustomerAccount, data.customer_id)
    if account is None or not policy.can_view_customer(current_user, account):
        raise ApiError(422, _("customer_id: there is no such customer account."))
    if not policy.can_share_document(current_user, document, account):
        raise ApiError(403, _("You may not share this document with this account."))
    row = shares.share(document, account, current_user, data.expires_at, data.allow_download)
    return respond(ShareOut, share_out(row), 201)


@bp.delete("/shares/<int:share_id>")
@operation("Revoke a share: the customer loses the document at once, open pages included", "portal",
           responses={204: None})
def delete_share(share_id: int):
    row = load_visible(Share, share_id, lambda user, s: policy.can_view_customer(user, s.account)
                       and policy.can_view_document(user, s.document))
    if not policy.can_revoke_share(current_user, row):
        raise ApiError(403, _("Only whoever shared it, the document's or the account's owner, or an admin may revoke it."))
    shares.revoke(row, current_user)
    return "", 204


@bp.get("/customers/<int:account_id>/engagement")
@operation("Which shared documents each customer user opened, when, and which pages", "portal",
           responses={200: EngagementOut})
def get_customer_engagement(account_id: int):
    account = load_visible(CustomerAccount, account_id, policy.can_view_customer)
    if not policy.can_view_engagement(current_user, account):
        raise ApiError(403, _("The account's owner and team see what the customer read."))
    documents, hidden = engagement.report(account, current_user)
    return respond(EngagementOut, {"customer_id": account.id, "documents": documents, "hidden_documents": hidden})


@bp.get("/customers/<int:account_id>/portal-messages")
@operation("The portal conversation of an account (staff view)", "portal", query=MessagesQuery,
           responses={200: MessageList})
def list_account_messages(account_id: int):
    account = load_visible(CustomerAccount, account_id, policy.can_view_customer)
    q = parse_query(MessagesQuery)
    rows = services.messages(account, after=q.after)
    return respond(MessageList, {"messages": [services.message_json(m) for m in rows],
                                 "last_id": rows[-1].id if rows else q.after})


@bp.post("/customers/<int:account_id>/portal-messages")
@operation("Answer the customer in the portal conversation", "portal", body=MessageIn, responses={201: MessageOut})
def create_account_message(account_id: int):
    account = _serving(account_id)
    data = parse_body(MessageIn)
    row = services.send_message(account, current_user, data.body)
    return respond(MessageOut, services.message_json(row), 201)
