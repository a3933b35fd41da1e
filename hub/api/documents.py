"""The documents part of the JSON API: upload, list, read, pages, text, download, versions, delete.

`download_response` is imported from here by the portal API too.
"""

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..documents import services, storage
from ..documents.serving import download_response, private_file
from ..errors import ApiError
from ..extensions import db
from ..ids import parse_id
from ..loading import load_visible
from ..models import Department, Document, DocumentPage, DocumentVersion
from .blueprint import bp
from .documents_schemas import (
    UPLOAD_FORM,
    VERSION_FORM,
    DocumentCreated,
    DocumentList,
    DocumentOut,
    DocumentText,
    DuplicateError,
    ListQuery,
    PreviewOut,
    TextQuery,
    VersionQuery,
)
from .spec import operation, parse_query, respond


def ref(user) -> dict:
    return {"id": user.id, "name": user.name}


def thumbnail_url(doc: Document, version: DocumentVersion | None) -> str | None:
    if version is None or not version.thumb_path:
        return None
    return url_for("api.get_document_thumbnail", doc_id=doc.id, version=version.number)


# Stand-ins for the two numbers in a thumbnail URL (within the id range, so the int converter takes them).
_DOC_MARK, _VERSION_MARK = 1_987_654_321, 1_123_456_789


def thumbnail_urls():
    """thumbnail_url for many rows: one url_for, then the numbers put in its place (url_for per row was
    a tenth of a list request). Returns `(doc_id, version_number) -> url`."""
    sample = url_for("api.get_document_thumbnail", doc_id=_DOC_MARK, version=_VERSION_MARK)
    head, _, rest = sample.partition(str(_DOC_MARK))
    middle, _, tail = rest.partition(str(_VERSION_MARK))
    return lambda doc_id, number: f"{head}{doc_id}{middle}{number}{tail}"


def version_out(v: DocumentVersion) -> dict:
    return {
        "id": v.id, "number": v.number, "filename": v.filename, "size": v.size, "mime_type": v.mime_type,
        "file_type": v.file_type, "sha256": v.sha256, "uploader": ref(v.uploader), "created_at": v.created_at,
        "preview": services.preview_state(v),
    }


def document_summary(doc: Document) -> dict:
    current = doc.current_version
    return {
        "id": doc.id, "title": doc.title, "category": doc.category, "department_id": doc.department_id,
        "visibility": doc.visibility, "tags": doc.tag_list, "owner": ref(doc.owner),
        "mime_type": current.mime_type if current else None, "file_type": current.file_type if current else None,
        "size": current.size if current else None, "version_id": current.id if current else None,
        "thumbnail_url": thumbnail_url(doc, current), "preview": services.preview_state(current),
        "created_at": doc.created_at, "updated_at": doc.updated_at,
    }


def row_summary(row, thumbnail) -> dict:
    """document_summary of a services.list_document_rows row; `thumbnail` is from thumbnail_urls()."""
    has_version = row.version_id is not None
    return {
        "id": row.id, "title": row.title, "category": row.category, "department_id": row.department_id,
        "visibility": row.visibility, "tags": [t for t in row.tags.split(",") if t],
        "owner": {"id": row.owner_id, "name": row.owner_name},
        "mime_type": row.mime_type, "file_type": row.file_type, "size": row.size, "version_id": row.version_id,
        "thumbnail_url": thumbnail(row.id, row.version_number) if has_version and row.thumb_path else None,
        "preview": {
            "state": row.preview_state, "pages_ready": row.pages_ready, "page_count": row.page_count,
            "pages_total": row.pages_total, "error": row.preview_error,
        } if has_version else services.preview_state(None),
        "created_at": row.created_at, "updated_at": row.updated_at,
    }


def document_out(doc: Document) -> dict:
    return document_summary(doc) | {
        "description": doc.description, "versions": [version_out(v) for v in reversed(doc.versions)],
    }


def _version(doc: Document, number: int | None) -> DocumentVersion:
    version = services.find_version(doc, number)
    if version is None:
        abort(404)
    return version


def _int_field(name: str) -> int:
    # Multipart fields are text by nature: read the id with the ASCII-only helper.
    value = parse_id(request.form.get(name, ""))
    if value is None:
        raise ApiError(422, _("%(field)s must be a number.", field=name))
    return value


@bp.get("/documents")
@operation("Documents the caller may see, newest first", "documents", query=ListQuery, responses={200: DocumentList})
def list_documents():
    q = parse_query(ListQuery)
    rows, total = services.list_document_rows(current_user, q.department_id, q.category, q.page, q.per_page)
    thumbnail = thumbnail_urls()
    return respond(DocumentList, {
        "documents": [row_summary(r, thumbnail) for r in rows], "page": q.page, "per_page": q.per_page, "total": total,
    })


def _duplicate_answer(exc: services.DuplicateUpload):
    doc = exc.document
    may_add = policy.can_edit_document(current_user, doc)
    return respond(DuplicateError, {"error": {
        "code": "duplicate", "message": exc.message,
        "duplicate": {
            "id": doc.id, "title": doc.title, "url": url_for("documents.show", doc_id=doc.id),
            "version_url": url_for("api.create_document_version", doc_id=doc.id) if may_add else None,
        },
    }}, 409)


@bp.post("/documents")
@operation("Upload a document (multipart); its preview is made in the background. Content the department "
           "already holds answers 409 naming that document, unless allow_duplicate=true", "documents",
           multipart=UPLOAD_FORM, responses={201: DocumentCreated, 409: DuplicateError})
def create_document():
    dept_id = _int_field("department_id")
    dept = db.session.get(Department, dept_id)
    if dept is None or not policy.can_view_department(current_user, dept):
        raise ApiError(422, _("Unknown department."))
    if not policy.can_upload_to(current_user, dept):
        raise ApiError(403, _("Only members of this department can add documents to it."))
    form = request.form
    allow_duplicate = form.get("allow_duplicate", "false")
    if allow_duplicate not in ("true", "false"):
        raise ApiError(422, _("allow_duplicate must be true or false."))
    try:
        doc = services.create_document(
            current_user, dept, request.files.get("file"), title=form.get("title", ""),
            description=form.get("description", ""), category=form.get("category") or "other",
            tags=form.get("tags", ""), visibility=form.get("visibility") or "staff",
            refuse_duplicate=allow_duplicate == "false",
        )
    except services.DuplicateUpload as exc:
        return _duplicate_answer(exc)
    version = doc.current_version
    return respond(DocumentCreated, {"id": doc.id, "version_id": version.id, "preview": services.preview_state(version)}, 201)


@bp.get("/documents/<int:doc_id>")
@operation("One document with its versions and preview state", "documents", responses={200: DocumentOut})
def get_document(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    return respond(DocumentOut, document_out(doc))


@bp.get("/documents/<int:doc_id>/pages/<int:number>")
@operation("The rendered image of page N (1-based); 404 until it is rendered", "documents",
           query=VersionQuery, binary="image/jpeg", responses={200: None})
def get_document_page(doc_id: int, number: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    version = _version(doc, parse_query(VersionQuery).version)
    page = db.session.scalar(
        db.select(DocumentPage).where(DocumentPage.version_id == version.id, DocumentPage.number == number)
    )
    if page is None or not page.image_path:
        abort(404)
    path = storage.resolve(page.image_path)
    if not path.exists():
        abort(404)
    return private_file(path, "image/jpeg")


@bp.get("/documents/<int:doc_id>/thumbnail")
@operation("A small image of the first page, for lists", "documents", query=VersionQuery, binary="image/jpeg",
           responses={200: None})
def get_document_thumbnail(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    version = _version(doc, parse_query(VersionQuery).version)
    if not version.thumb_path or not storage.resolve(version.thumb_path).exists():
        abort(404)
    return private_file(storage.resolve(version.thumb_path), "image/jpeg")


@bp.get("/documents/<int:doc_id>/text")
@operation("Extracted text, per page", "documents", query=TextQuery, responses={200: DocumentText})
def get_document_text(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    q = parse_query(TextQuery)
    version = _version(doc, q.version)
    query = db.select(DocumentPage).where(DocumentPage.version_id == version.id).order_by(DocumentPage.number)
    if q.page is not None:
        query = query.where(DocumentPage.number == q.page)
    pages = db.session.scalars(query).all()
    if q.page is not None and not pages:
        abort(404)
    return respond(DocumentText, {
        "document_id": doc.id, "version_id": version.id,
        "pages": [{"page": p.number, "text": p.text or ""} for p in pages],
    })


@bp.get("/documents/<int:doc_id>/download")
@operation("The original file, as an attachment", "documents", query=VersionQuery,
           binary="application/octet-stream", responses={200: None})
def download_document(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    version = _version(doc, parse_query(VersionQuery).version)
    return download_response(version)


@bp.post("/documents/<int:doc_id>/versions")
@operation("Upload a new version (owner or admin)", "documents", multipart=VERSION_FORM, responses={201: DocumentCreated})
def create_document_version(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    if not policy.can_edit_document(current_user, doc):
        raise ApiError(403, _("Only the owner or an admin can add a version."))
    version = services.add_version(doc, current_user, request.files.get("file"))
    return respond(DocumentCreated, {"id": doc.id, "version_id": version.id, "preview": services.preview_state(version)}, 201)


@bp.delete("/documents/<int:doc_id>")
@operation("Delete a document with all its versions (owner or admin)", "documents", responses={204: None})
def delete_document(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    if not policy.can_edit_document(current_user, doc):
        raise ApiError(403, _("Only the owner or an admin can delete this document."))
    services.delete_document(doc)
    return "", 204


@bp.post("/documents/<int:doc_id>/versions/<int:number>/retry")
@operation("Make the preview of a version again (admins)", "documents", responses={200: PreviewOut})
def retry_document_preview(doc_id: int, number: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    version = _version(doc, number)
    if not policy.can_retry_preview(current_user, doc):
        raise ApiError(403, _("Only admins can retry a preview."))
    services.retry_preview(version)
    return respond(PreviewOut, services.preview_state(version))
