"""Load what a customer asks for, starting from their own account, or answer 404 (also when not shared).

Only the current version of a shared document is ever served: older versions are not part of a share.
"""

from flask import abort, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from .. import policy
from ..documents import services as documents
from ..extensions import db
from ..models import CustomerAccount, Document, DocumentPage, DocumentVersion, Share
from . import branding


def my_account() -> CustomerAccount:
    """The signed-in customer's account; 403 when the person or the account is disabled."""
    account = policy.portal_account(current_user)
    if account is None:
        abort(403)
    return account


def shared(doc_id: int) -> tuple[CustomerAccount, Document, Share, DocumentVersion]:
    """A document shared with the caller's account right now, with its share and current version; else 404."""
    account = my_account()
    document = db.session.get(Document, doc_id, options=[joinedload(Document.current_version)])
    share = policy.active_share(account.id, doc_id) if document is not None else None
    if share is None or not policy.can_view_document(current_user, document):
        abort(404)
    version = document.current_version
    if version is None:
        abort(404)
    return account, document, share, version


def page_of(version: DocumentVersion, number: int) -> DocumentPage | None:
    return db.session.scalar(
        db.select(DocumentPage).where(DocumentPage.version_id == version.id, DocumentPage.number == number)
    )


def document_summary(document: Document, share: Share) -> dict:
    version = document.current_version
    thumb = None
    if version is not None and version.thumb_path:
        thumb = url_for("api.portal_document_thumbnail", doc_id=document.id, v=version.number)
    return {
        "id": document.id, "title": document.title, "category": document.category,
        "file_type": version.file_type if version else None, "version_id": version.id if version else None,
        "allow_download": share.allow_download, "expires_at": share.expires_at, "shared_at": share.created_at,
        "thumbnail_url": thumb, "preview": documents.preview_state(version),
    }


def document_detail(document: Document, share: Share) -> dict:
    version = document.current_version
    return document_summary(document, share) | {
        "description": document.description,
        "page_url": url_for("api.portal_document_page", doc_id=document.id, number=0, v=version.number),
        "download_url": url_for("api.portal_document_download", doc_id=document.id) if share.allow_download else None,
        "versions": [{"id": version.id, "number": version.number, "preview": documents.preview_state(version)}],
    }


def brand_for_page(account: CustomerAccount) -> dict:
    return {"logo_url": branding.logo_url(account), "initial": branding.initial(account),
            "color": branding.color(account), "color_index": branding.color_index(account)}
