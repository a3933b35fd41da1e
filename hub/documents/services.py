"""The work behind document pages and API: upload, versions, listing, deletion, preview retries.

Uploads touch files as well as rows, so these functions commit themselves: rows and file land
together, or neither does (a refused or failed upload leaves nothing in uploads/ and no row).
"""

from __future__ import annotations

import logging
import os
import unicodedata
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.orm import joinedload

from .. import jobs, policy
from ..errors import ValidationError
from ..extensions import db
from ..follows import services as follows
from ..models import CATEGORIES, VISIBILITIES, Department, Document, DocumentVersion, User, utcnow
from ..policy.documents import visible_documents_condition, visible_documents_shape
from . import storage
from .sniff import Refused, sniff

log = logging.getLogger("hub.documents")

CATEGORY_LABELS = {
    "product": _l("Product information"),
    "competitor": _l("Competitor analysis"),
    "industry": _l("Industry news"),
    "pricing": _l("Pricing"),
    "case_study": _l("Case study"),
    "other": _l("Other"),
}
TITLE_MAX = 200
DESCRIPTION_MAX = 5000
TAGS_MAX = 500
PER_PAGE = 20


class UploadRefused(ValidationError):
    """A file the area will not store; `status` keeps its HTTP answer (413 too large, 415 type, 422 broken)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status  # the ValidationError handler answers with it


def safe_filename(name: str | None) -> str:
    """Keep a readable file name without paths, control, format (e.g. right-to-left) or reserved characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        c for c in unicodedata.normalize("NFC", name)
        if unicodedata.category(c)[0] != "C" and c not in '<>:"|?*'
    )
    name = name.strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:180] + dot + ext[:15]) if dot and len(ext) <= 15 else name[:200]
    return name or "document"


def normalise_tags(raw: str | None) -> str:
    seen: list[str] = []
    for part in (raw or "").replace("，", ",").replace("、", ",").split(","):
        tag = " ".join(part.split())[:40]
        if tag and tag.lower() not in (t.lower() for t in seen):
            seen.append(tag)
    tags = ",".join(seen)
    if len(tags) > TAGS_MAX:
        raise ValidationError(_("Too many tags."))
    return tags


def check_fields(title: str, description: str, category: str, visibility: str) -> None:
    if len(title) > TITLE_MAX:
        raise ValidationError(_("The title may have at most %(n)d characters.", n=TITLE_MAX))
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(_("The description may have at most %(n)d characters.", n=DESCRIPTION_MAX))
    if category not in CATEGORIES:
        raise ValidationError(_("Unknown category."))
    if visibility not in VISIBILITIES:
        raise ValidationError(_("Visibility must be staff or department."))


def max_upload_bytes() -> int:
    return int(current_app.config["DOCUMENT_MAX_BYTES"] or current_app.config["MAX_CONTENT_LENGTH"])


def _receive(upload) -> tuple[storage.Incoming, object, str]:
    """Stream the upload to a temp file and sniff it; raise UploadRefused (413/415/422) leaving no file."""
    if upload is None or not getattr(upload, "filename", None):
        raise UploadRefused(_("Choose a file to upload."))
    filename = safe_filename(upload.filename)
    limit = max_upload_bytes()
    try:
        incoming = storage.receive(upload.stream, limit)
    except storage.TooLarge:
        raise UploadRefused(_("The file is larger than %(n)d MB.", n=limit // (1024 * 1024)), 413) from None
    try:
        kind = sniff(incoming.path, filename)
    except Refused as exc:
        incoming.discard()
        raise UploadRefused(str(exc), exc.status) from None
    except BaseException:
        incoming.discard()
        raise
    return incoming, kind, filename


class DuplicateUpload(ValidationError):
    """The file's content is already a document of the department the uploader may see (409)."""

    status = 409

    def __init__(self, document: Document):
        super().__init__(_("This file is already in the department as “%(title)s”.", title=document.title))
        self.document = document


def find_duplicate(user: User, department_id: int, sha256: str) -> Document | None:
    """A document of the department, visible to `user`, whose current or earlier version has these bytes."""
    candidates = db.session.scalars(
        select(Document).join(DocumentVersion, DocumentVersion.document_id == Document.id)
        .where(Document.department_id == department_id, DocumentVersion.sha256 == sha256)
        .order_by(Document.updated_at.desc(), Document.id.desc())
    ).unique()
    # Only what the uploader may see: naming a hidden document would leak that it exists.
    return next((doc for doc in candidates if policy.can_view_document(user, doc)), None)


def _new_version(document: Document, user: User, received) -> DocumentVersion:
    incoming, kind, filename = received
    try:
        number = (db.session.scalar(
            select(func.max(DocumentVersion.number)).where(DocumentVersion.document_id == document.id)
        ) or 0) + 1
        version = DocumentVersion(
            document=document, number=number, uploader_id=user.id, filename=filename, sha256=incoming.sha256,
            size=incoming.size, mime_type=kind.mime_type, file_type=kind.file_type, preview_state="queued",
        )
        db.session.add(version)
        db.session.flush()
        document.current_version_id = version.id
        document.updated_at = utcnow()
        jobs.enqueue("documents.preview", version_id=version.id)
        existed = storage.object_path(incoming.sha256).exists()
        storage.keep(incoming)
        try:
            db.session.commit()
        except BaseException:
            db.session.rollback()
            if not existed and not _sha_in_use(incoming.sha256):
                storage.remove_object_if_unused(incoming.sha256, still_used=False)
            raise
    except BaseException:
        incoming.discard()
        raise
    log.info("stored version %s of document %s (%s, %d bytes)", version.id, document.id, kind.file_type, incoming.size)
    return version


def _sha_in_use(sha256: str) -> bool:
    return db.session.scalar(select(func.count()).where(DocumentVersion.sha256 == sha256)) > 0


def create_document(
    user: User, department: Department, upload, title: str = "", description: str = "",
    category: str = "other", tags: str = "", visibility: str = "staff", refuse_duplicate: bool = False,
) -> Document:
    """Create a document with its first version from an uploaded file; commit; queue its preview.

    The caller has asked policy.can_upload_to(user, department). With `refuse_duplicate`, bytes the
    department already holds in a document the user may see raise DuplicateUpload (nothing is kept).
    """
    title, description = (title or "").strip(), (description or "").strip()
    category, visibility = category or "other", visibility or "staff"
    check_fields(title, description, category, visibility)
    tags = normalise_tags(tags)
    received = _receive(upload)
    incoming, _kind, filename = received
    duplicate = find_duplicate(user, department.id, incoming.sha256) if refuse_duplicate else None
    if duplicate is not None:
        incoming.discard()
        raise DuplicateUpload(duplicate)
    document = Document(
        department_id=department.id, owner_id=user.id, title=title or os.path.splitext(filename)[0][:TITLE_MAX] or filename,
        description=description, category=category, tags=tags, visibility=visibility,
    )
    try:
        db.session.add(document)
        db.session.flush()
        _new_version(document, user, received)
    except BaseException:
        incoming.discard()
        db.session.rollback()
        raise
    follows.tell_followers("department", department, "follow_document",
                           {"name": user.name, "title": document.title, "department": department.name},
                           f"/documents/{document.id}", user.id)
    return document


def add_version(document: Document, user: User, upload) -> DocumentVersion:
    """Upload a new version of a document (it becomes the current one); commit; queue its preview."""
    try:
        version = _new_version(document, user, _receive(upload))
    except BaseException:
        db.session.rollback()
        raise
    follows.tell_followers("document", document, "follow_version", {"title": document.title, "number": version.number},
                           f"/documents/{document.id}", user.id)
    return version


def delete_document(document: Document) -> None:
    """Delete a document with its versions and pages; remove files no other version uses."""
    versions = [(v.id, v.sha256) for v in document.versions]
    document.current_version_id = None
    db.session.flush()
    db.session.delete(document)
    db.session.commit()
    for version_id, sha in versions:
        storage.remove_previews(version_id)
        storage.remove_object_if_unused(sha, still_used=_sha_in_use(sha))


def retry_preview(version: DocumentVersion) -> None:
    """Queue a failed (or stuck) preview again from the start."""
    version.preview_state, version.preview_error, version.pages_ready = "queued", None, 0
    version.page_count = version.pages_total = None
    version.thumb_path = None
    version.pages.clear()
    jobs.enqueue("documents.preview", version_id=version.id)
    db.session.commit()


def find_version(document: Document, number: int | None) -> DocumentVersion | None:
    """The numbered version of a document, or its current one."""
    if number is None:
        return document.current_version
    return next((v for v in document.versions if v.number == number), None)


def _list_filter(user: User, department_id: int | None, category: str | None, query: str | None) -> list:
    where = [policy.visible_documents_filter(user)]
    if department_id is not None:
        where.append(Document.department_id == department_id)
    if category:
        where.append(Document.category == category)
    if query:
        where.append(Document.title.contains(query.strip()[:100]))
    return where


def _count(where: list) -> int:
    return db.session.scalar(select(func.count()).select_from(Document).where(*where)) or 0


def list_documents(user: User, department_id: int | None = None, category: str | None = None,
                   page: int = 1, per_page: int = PER_PAGE, query: str | None = None) -> tuple[list[Document], int]:
    """A page of the documents `user` may see, newest first, and the total count."""
    where = _list_filter(user, department_id, category, query)
    # The total rides on the page's rows (a window count over the filtered set: the joins are all
    # many-to-one, so they add no rows); only a page past the end needs its own count.
    found = db.session.execute(
        select(Document, func.count().over().label("total")).where(*where)
        # the list shows each row's version, owner and department: joined, not loaded per row
        .options(joinedload(Document.current_version), joinedload(Document.owner), joinedload(Document.department))
        .order_by(Document.updated_at.desc(), Document.id.desc())
        .offset((max(page, 1) - 1) * per_page).limit(per_page)
    ).all()
    if found:
        return [row.Document for row in found], found[0].total
    return [], _count(where)


_DOCS, _USERS, _VERSIONS = Document.__table__, User.__table__, DocumentVersion.__table__
_D, _U, _VC = _DOCS.c, _USERS.c, _VERSIONS.c
# What a summary shows of a document, its owner and current version (None columns when it has none);
# on the tables themselves: a Core statement skips the ORM's compile and loading steps.
_ROW_COLUMNS = (
    _D.id, _D.title, _D.category, _D.department_id, _D.visibility, _D.tags, _D.created_at, _D.updated_at,
    _U.id.label("owner_id"), _U.name.label("owner_name"), _VC.id.label("version_id"),
    _VC.number.label("version_number"), _VC.mime_type, _VC.file_type, _VC.size, _VC.thumb_path,
    _VC.preview_state, _VC.pages_ready, _VC.page_count, _VC.pages_total, _VC.preview_error,
)


def _rows_statements(visible, by_department: bool, by_category: bool):
    """The page and count statements of list_document_rows, with every value a bound parameter."""
    where = [visible]
    if by_department:
        where.append(_D.department_id == bindparam("department_id"))
    if by_category:
        where.append(_D.category == bindparam("category"))
    rows = (
        select(*_ROW_COLUMNS, func.count().over().label("total"))
        .select_from(_DOCS.join(_USERS, _U.id == _D.owner_id).outerjoin(_VERSIONS, _VC.id == _D.current_version_id))
        .where(*where)
        .order_by(_D.updated_at.desc(), _D.id.desc())
        .offset(bindparam("offset", type_=Integer)).limit(bindparam("limit", type_=Integer))
    )
    return rows, select(func.count()).select_from(_DOCS).where(*where)


@cache
def _cached_rows_statements(shape: str, by_department: bool, by_category: bool):
    return _rows_statements(visible_documents_condition(shape), by_department, by_category)


def list_document_rows(user: User, department_id: int | None = None, category: str | None = None,
                       page: int = 1, per_page: int = PER_PAGE) -> tuple[list, int]:
    """list_documents as plain rows of _ROW_COLUMNS, for the API: it reads only columns, and
    building ORM objects with three joined relationships cost more than the statement itself. The
    statements are built once per visibility shape and filter set (customers' per request)."""
    shape = visible_documents_shape(user)
    by_department, by_category = department_id is not None, bool(category)
    params = {"offset": (max(page, 1) - 1) * per_page, "limit": per_page}
    if by_department:
        params["department_id"] = department_id
    if by_category:
        params["category"] = category
    if shape is None:
        rows, count = _rows_statements(policy.visible_documents_filter(user), by_department, by_category)
    else:
        rows, count = _cached_rows_statements(shape[0], by_department, by_category)
        params.update(shape[1])
    found = db.session.execute(rows, params).all()
    if found:
        return found, found[0].total
    return [], db.session.scalar(count, params) or 0


def preview_state(version: DocumentVersion | None) -> dict:
    if version is None:
        return {"state": "failed", "pages_ready": 0, "page_count": None, "error": None}
    return {
        "state": version.preview_state,
        "pages_ready": version.pages_ready,
        "page_count": version.page_count,
        "pages_total": version.pages_total,
        "error": version.preview_error,
    }
