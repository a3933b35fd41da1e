"""Preview jobs: the first page first (its own urgent job), then the rest in batches (before ordinary jobs such as indexing), with live progress.

`documents.preview` converts Office files to PDF, counts pages, renders page 1, its text and the
thumbnail, and queues `documents.preview_rest` at a lower priority, so the first page of a new upload
never waits behind the remaining pages of a long one. Each batch commits, so a restarted job resumes
after the last committed page. Every failure ends as state `failed` with a reason; the job itself
succeeds, so one bad file never disturbs the queue. The area's init_app declares both tasks.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import delete

from .. import jobs, rooms
from ..extensions import db, socketio
from ..models import DocumentPage, DocumentVersion
from . import render, storage
from .sniff import TYPES
from .sweep import sweep
from .text import read_text

log = logging.getLogger("hub.documents")

BATCH = 24
RENDER_THREADS = 2


def emit_progress(version: DocumentVersion) -> None:
    """Tell the document's room how far the preview is (commit first: readers may fetch at once)."""
    payload = {
        "document_id": version.document_id,
        "version_id": version.id,
        "state": version.preview_state,
        "pages_ready": version.pages_ready,
        "page_count": version.page_count,
        "error": version.preview_error,
    }
    try:
        socketio.emit("preview", payload, to=rooms.document(version.document_id))
    except Exception:  # noqa: BLE001 - progress is also readable over the API; never fail a job for it
        log.exception("could not emit preview progress for version %s", version.id)


def _source_pdf(version: DocumentVersion) -> Path:
    if version.file_type == "pdf":
        return storage.object_path(version.sha256)
    return storage.preview_dir(version.id) / "converted.pdf"


def _finish(version: DocumentVersion, state: str, error: str | None = None) -> None:
    version.preview_state, version.preview_error = state, error
    db.session.commit()
    emit_progress(version)  # the search area watches preview_state: the commit above queued the reindex


def _fail(version_id: int, reason: str) -> None:
    db.session.rollback()
    version = db.session.get(DocumentVersion, version_id)
    if version is None:
        storage.remove_previews(version_id)  # deleted while rendering: leave no pages behind
        return
    _finish(version, "failed", reason[:500])


def _store_page(version: DocumentVersion, number: int, text: str, image: Path | None) -> None:
    width = height = None
    if image is not None:
        width, height = render.image_size(image)
    db.session.add(DocumentPage(
        version_id=version.id, number=number, text=text,
        image_path=storage.page_rel(version.id, number) if image is not None else None, width=width, height=height,
    ))


def sweep_uploads() -> None:
    """When a worker starts, remove files a crash left in uploads/ (see hub.documents.sweep)."""
    sweep()


def preview(version_id: int) -> None:
    """Render the first page (and everything of one-page kinds); queue the rest."""
    version = db.session.get(DocumentVersion, version_id)
    if version is None:
        return  # deleted meanwhile
    version.preview_state, version.preview_error = "rendering", None
    db.session.execute(delete(DocumentPage).where(DocumentPage.version_id == version_id))
    version.pages_ready = 0
    db.session.commit()
    emit_progress(version)
    try:
        family = TYPES[version.file_type].family
        if family == "text":
            _preview_text(version)
        elif family == "image":
            _preview_image(version)
        else:
            _preview_first_pdf_page(version)
    except render.PreviewFailed as exc:
        _fail(version_id, str(exc))
    except Exception:  # noqa: BLE001 - an unexpected renderer error still ends as a visible failure
        log.exception("preview of version %s failed", version_id)
        _fail(version_id, _("The preview could not be made."))


def _preview_text(version: DocumentVersion) -> None:
    text = read_text(storage.object_path(version.sha256))
    _store_page(version, 1, text, None)
    version.page_count = version.pages_total = version.pages_ready = 1
    _finish(version, "ready")


def _preview_image(version: DocumentVersion) -> None:
    out = storage.preview_dir(version.id)
    page = out / "p0001.jpg"
    render.render_image(storage.object_path(version.sha256), page)
    render.make_thumbnail(page, out / "thumb.jpg")
    _store_page(version, 1, "", page)
    version.thumb_path = storage.thumb_rel(version.id)
    version.page_count = version.pages_total = version.pages_ready = 1
    _finish(version, "ready")


def _preview_first_pdf_page(version: DocumentVersion) -> None:
    out = storage.preview_dir(version.id)
    pdf = _source_pdf(version)
    if version.file_type != "pdf":
        render.office_to_pdf(storage.object_path(version.sha256), version.file_type, pdf)
    total = render.pdf_page_count(pdf)
    count = min(total, render.setting("PREVIEW_MAX_PAGES"))
    pages = render.render_pdf_pages(pdf, 1, 1, out)
    render.make_thumbnail(pages[1], out / "thumb.jpg")
    _store_page(version, 1, render.pdf_text(pdf, 1, 1)[0], pages[1])
    version.thumb_path = storage.thumb_rel(version.id)
    version.pages_total, version.page_count, version.pages_ready = total, count, 1
    if count == 1:
        _finish(version, "ready")
        return
    jobs.enqueue("documents.preview_rest", version_id=version.id)
    db.session.commit()
    emit_progress(version)


def preview_rest(version_id: int) -> None:
    """Render pages 2..N in batches, committing and announcing each batch."""
    version = db.session.get(DocumentVersion, version_id)
    if version is None or version.preview_state != "rendering" or not version.page_count:
        return
    pdf = _source_pdf(version)
    out = storage.preview_dir(version.id)
    try:
        start = version.pages_ready + 1
        while start <= version.page_count:
            end = min(start + BATCH - 1, version.page_count)
            db.session.execute(
                delete(DocumentPage).where(DocumentPage.version_id == version_id, DocumentPage.number >= start)
            )
            pages = render.render_pdf_pages(pdf, start, end, out, threads=RENDER_THREADS)
            texts = render.pdf_text(pdf, start, end)
            for number in range(start, end + 1):
                _store_page(version, number, texts[number - start], pages.get(number))
            version.pages_ready = end
            db.session.commit()
            emit_progress(version)
            start = end + 1
        _finish(version, "ready")
    except render.PreviewFailed as exc:
        _fail(version_id, str(exc))
    except Exception:  # noqa: BLE001 - see preview()
        log.exception("preview of version %s failed", version_id)
        _fail(version_id, _("The preview could not be made."))
