"""The portal over JSON, for customer users: their space, shared documents, requests and conversation.

Every view starts from the caller's own account (hub.portal.access); a document is reached only
through an active share of that account, and each page image, thumbnail or download checks it again.
"""

from flask import abort, send_file
from flask_babel import gettext as _
from flask_login import current_user

from ..documents import storage
from ..documents.serving import download_response
from ..errors import ApiError
from ..portal import access, engagement, services, shares
from ..portal.schemas import (
    MessageIn,
    MessageList,
    MessageOut,
    MessagesQuery,
    PortalOut,
    RequestIn,
    RequestList,
    RequestOut,
)
from .blueprint import bp
from .portal_schemas import SharedDocumentList, SharedDocumentOut
from .spec import operation, parse_body, parse_query, respond


def _file(path, mimetype: str, **kwargs):
    """Serve a file of a share; the browser revalidates each time, so a revoked share stops it at once."""
    response = send_file(path, mimetype=mimetype, conditional=True, **kwargs)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/portal")
@operation("The caller's account space: name, logo, welcome, announcements, team", "portal",
           responses={200: PortalOut})
def portal_home():
    return respond(PortalOut, services.space(access.my_account()))


@bp.get("/portal/documents")
@operation("Documents shared with the caller's account (active shares only)", "portal",
           responses={200: SharedDocumentList})
def portal_documents():
    account = access.my_account()
    rows = [access.document_summary(s.document, s) for s in shares.active_shares(account.id) if s.document.current_version]
    return respond(SharedDocumentList, {"documents": rows})


@bp.get("/portal/documents/<int:doc_id>")
@operation("One shared document and its preview state (counts as opening it)", "portal",
           responses={200: SharedDocumentOut})
def portal_document(doc_id: int):
    _account, document, share, _version = access.shared(doc_id)
    detail = access.document_detail(document, share)
    engagement.record_open(current_user, document)  # after: its commit would expire what the answer reads
    return respond(SharedDocumentOut, detail)


@bp.get("/portal/documents/<int:doc_id>/pages/<int:number>")
@operation("The image of page N of a shared document (its current version)", "portal",
           binary="image/jpeg", responses={200: None})
def portal_document_page(doc_id: int, number: int):
    _account, document, _share, version = access.shared(doc_id)
    page = access.page_of(version, number)
    if page is None or not page.image_path:
        abort(404)
    path = storage.resolve(page.image_path)
    if not path.exists():
        abort(404)
    engagement.record_page(current_user, document, number)
    return _file(path, "image/jpeg")


@bp.get("/portal/documents/<int:doc_id>/thumbnail")
@operation("A small image of the first page of a shared document", "portal", binary="image/jpeg",
           responses={200: None})
def portal_document_thumbnail(doc_id: int):
    _account, _document, _share, version = access.shared(doc_id)
    if not version.thumb_path or not storage.resolve(version.thumb_path).exists():
        abort(404)
    return _file(storage.resolve(version.thumb_path), "image/jpeg")


@bp.get("/portal/documents/<int:doc_id>/download")
@operation("The original file, where the share allows downloading", "portal",
           binary="application/octet-stream", responses={200: None})
def portal_document_download(doc_id: int):
    _account, document, share, version = access.shared(doc_id)
    if not share.allow_download:
        raise ApiError(403, _("This document may be viewed but not downloaded."))
    return download_response(version)


@bp.get("/portal/requests")
@operation("The caller's account's requests and complaints, with the team's replies", "portal",
           responses={200: RequestList})
def portal_requests():
    return respond(RequestList, {"requests": services.requests(access.my_account())})


@bp.post("/portal/requests")
@operation("Submit a request or complaint; the team sees it at once", "portal", body=RequestIn,
           responses={201: RequestOut})
def portal_create_request():
    account = access.my_account()
    data = parse_body(RequestIn)
    row = services.submit_request(account, current_user, data.kind, data.body, data.severity)
    return respond(RequestOut, services.request_json(row, []), 201)


@bp.get("/portal/messages")
@operation("The conversation with the service team (the latest, or those after an id)", "portal",
           query=MessagesQuery, responses={200: MessageList})
def portal_messages():
    account = access.my_account()
    q = parse_query(MessagesQuery)
    rows = services.messages(account, after=q.after)
    return respond(MessageList, {"messages": [services.message_json(m) for m in rows],
                                 "last_id": rows[-1].id if rows else q.after})


@bp.post("/portal/messages")
@operation("Write to the service team; it arrives live in `portal:<account id>`", "portal", body=MessageIn,
           responses={201: MessageOut})
def portal_create_message():
    account = access.my_account()
    data = parse_body(MessageIn)
    row = services.send_message(account, current_user, data.body)
    return respond(MessageOut, services.message_json(row), 201)
