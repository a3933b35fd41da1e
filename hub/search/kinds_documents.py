"""Documents in the index: title, description, tags, category, department, file type, page texts."""

from __future__ import annotations

import re

from sqlalchemy import bindparam, func, inspect, select
from sqlalchemy.orm import selectinload

from .. import models, policy
from ..extensions import db
from ..models import Comment, Document, DocumentPage, DocumentVersion, Rating
from .hit_rows import Part
from .kinds import Entry, Kind, column_rows, register
from .plaintext import markdown_text
from .urls import build_url

SHARE_PROVIDERS: list = []  # functions [document ids] -> {document id: [account ids]} (portal shares)


def register_share_provider(func) -> None:
    """Let the portal say which accounts a document is shared with (adds `account:<id>` tokens)."""
    SHARE_PROVIDERS.append(func)


def _ratings(ids: list[int]) -> dict[int, float]:
    rows = db.session.execute(
        select(Rating.document_id, func.avg(Rating.stars))
        .where(Rating.document_id.in_(ids))
        .group_by(Rating.document_id)
    )
    return {doc_id: float(avg) for doc_id, avg in rows}


def _shares(ids: list[int]) -> dict[int, list[int]]:
    shared: dict[int, list[int]] = {}
    for provider in SHARE_PROVIDERS:
        for doc_id, accounts in provider(ids).items():
            shared.setdefault(doc_id, []).extend(accounts)
    return shared


def _pages(version_ids: list[int]) -> dict[int, list[DocumentPage]]:
    pages: dict[int, list[DocumentPage]] = {}
    if version_ids:
        stmt = (
            select(DocumentPage).where(DocumentPage.version_id.in_(version_ids)).order_by(DocumentPage.number)
        )
        for page in db.session.scalars(stmt):
            pages.setdefault(page.version_id, []).append(page)
    return pages


def build(documents: list[Document]) -> dict[int, Entry]:
    ids = [d.id for d in documents]
    ratings, shares = _ratings(ids), _shares(ids)
    pages = _pages([d.current_version_id for d in documents if d.current_version_id])
    entries = {}
    for doc in documents:
        version = doc.current_version
        texts = [p.text for p in pages.get(doc.current_version_id, []) if p.text]
        entries[doc.id] = Entry(
            title=doc.title,
            body="\n".join([doc.description or "", *texts]),
            tags=doc.tag_list,
            scope=policy.document_search_scope(doc, shares.get(doc.id, ())),
            dept=doc.department_id,
            category=doc.category,
            file_type=version.file_type if version else "",
            rating=ratings.get(doc.id),
            date=doc.updated_at or doc.created_at,
            typeable=doc.tag_list,
        )
    return entries


# Built once: a statement made per search costs more to construct than to run (the SQL is cached).
_PASSAGE_COLUMNS = (
    Document.id, Document.description, DocumentPage.number, DocumentPage.text, DocumentVersion.file_type
)


def _passages_statement(*columns):
    return (
        select(*_PASSAGE_COLUMNS, *columns)
        .outerjoin(DocumentVersion, DocumentVersion.id == Document.current_version_id)
        .outerjoin(DocumentPage, DocumentPage.version_id == DocumentVersion.id)
        .where(Document.id.in_(bindparam("ids", expanding=True)))
        .order_by(Document.id, DocumentPage.number)
    )


_PASSAGES = _passages_statement()
_PASSAGES_THUMBED = None  # the same, saying whether the current version has a thumbnail (built at first use)
# Nothing Markdown would change but line breaks, outer spaces and NUL (which it replaces with U+FFFD):
# such text is its own plain text.
_MARKDOWN_SIGNS = re.compile(r"[\\`*_\[\]!<>&#+\-=|~\n\r\t\x00]|^\s|\s$|^\d")


def plain_text(text: str | None) -> str:
    """markdown_text(text), skipping the parser for text Markdown would leave as it is."""
    if not text or _MARKDOWN_SIGNS.search(text) is None:
        return text or ""
    return markdown_text(text)


def passages(ids: list[int]) -> dict[int, list[tuple[int | None, str]]]:
    """The description, then each page of the current version with its number, as a reader sees them.

    Descriptions and the text of Markdown files render as Markdown, so snippets drop its syntax.
    One statement for the documents and their pages.
    """
    return _passages(column_rows(_PASSAGES, {"ids": list(ids)}))[0]


def _passages(rows) -> tuple[dict[int, list[tuple[int | None, str]]], list[int]]:
    """Passages from (id, description, number, text, file type[, has thumbnail]) rows, and the
    documents with a thumbnail (when the rows say)."""
    out: dict[int, list[tuple[int | None, str]]] = {}
    thumbed: list[int] = []
    for doc_id, description, number, text, file_type, *thumb in rows:
        found = out.get(doc_id)
        if found is None:
            found = out[doc_id] = [(None, plain_text(description))]
            if thumb and thumb[0]:
                thumbed.append(doc_id)
        if text:
            found.append((number, markdown_text(text) if file_type == "md" else text))
    return out, thumbed


def dependents(ids: list[int]) -> list[tuple[str, int]]:
    rows = db.session.scalars(select(Comment.id).where(Comment.document_id.in_(ids)))
    return [("comment", c) for c in rows]


def url(ident: int, page: int | None) -> str:
    """The preview page; a hit inside the document opens at its page (?page=N#page-N)."""
    return _link(ident, page, _customer_reader())


def hit_parts(ids: list[int], thumbnails: bool = False):
    """A page's passages, links that ask who reads once for the page rather than once per hit, and
    (when asked) thumbnail links, read with the passages in one statement."""
    portal = _customer_reader()
    stmt = _thumbed_passages() if thumbnails else None
    found, thumbed = _passages(column_rows(stmt if stmt is not None else _PASSAGES, {"ids": list(ids)}))
    return found, lambda ident, page: _link(ident, page, portal), _thumbnail_links(thumbed)


def _document_rows(rows):
    """hit_parts from the rows of a page's documents (read with the other kinds' in one statement)."""
    portal = _customer_reader()
    found, thumbed = _passages(rows)
    return found, lambda ident, page: _link(ident, page, portal), _thumbnail_links(thumbed)


_PASSAGE_SLOTS = ("int", "text", "int", "text", "text")
_PART = Part("document", _PASSAGES, _PASSAGE_SLOTS, _document_rows)
_PART_THUMBED = None


def hit_rows(thumbnails: bool = False) -> Part:
    """What hit_parts reads, as a part of the page's one statement (hit_rows.read)."""
    global _PART_THUMBED
    stmt = _thumbed_passages() if thumbnails else None
    if stmt is None:
        return _PART
    if _PART_THUMBED is None:
        _PART_THUMBED = Part("document+thumb", stmt, (*_PASSAGE_SLOTS, "flag"), _document_rows)
    return _PART_THUMBED


def _thumbed_passages():
    global _PASSAGES_THUMBED
    thumb = getattr(DocumentVersion, "thumb_path", None)
    if thumb is None:
        return None
    if _PASSAGES_THUMBED is None:
        _PASSAGES_THUMBED = _passages_statement(thumb.is_not(None))
    return _PASSAGES_THUMBED


def _link(ident: int, page: int | None, portal: bool) -> str:
    if portal:  # customers read shared documents in their portal
        return build_url(
            "portal.document",
            f"/portal/documents/{ident}",
            anchor=f"page-{page}" if page else None,
            doc_id=ident,
        )
    if page:
        return build_url(
            "documents.show", f"/documents/{ident}", anchor=f"page-{page}", doc_id=ident, page=page
        )
    return build_url("documents.show", f"/documents/{ident}", doc_id=ident)


def _customer_reader() -> bool:
    from flask import has_request_context
    from flask_login import current_user

    return has_request_context() and getattr(current_user, "is_customer", False)


THUMBNAIL_ENDPOINT = "api.get_document_thumbnail"
_THUMBNAILS = None  # built at first use (thumbnails are an optional column)


def thumbnails(ids: list[int]) -> dict[int, str]:
    """Thumbnail links of the documents whose current version has one."""
    thumb = getattr(DocumentVersion, "thumb_path", None)
    if thumb is None:
        return {}
    global _THUMBNAILS
    if _THUMBNAILS is None:
        _THUMBNAILS = (
            select(Document.id)
            .join(DocumentVersion, DocumentVersion.id == Document.current_version_id)
            .where(Document.id.in_(bindparam("ids", expanding=True)), thumb.is_not(None))
        )
    return _thumbnail_links(column_rows(_THUMBNAILS, {"ids": list(ids)}).scalars())


def _thumbnail_links(doc_ids) -> dict[int, str]:
    return {
        doc_id: build_url(THUMBNAIL_ENDPOINT, f"/api/v1/documents/{doc_id}/thumbnail", doc_id=doc_id)
        for doc_id in doc_ids
    }


def _version_document(session, version: DocumentVersion):
    """A version matters when added, removed, or when its preview state moves (text is ready).

    Page-by-page progress (pages_ready, new DocumentPage rows) is ignored on purpose: indexing the
    whole document again after every rendered page would cost O(pages^2).
    """
    state = inspect(version)
    if (
        version in session.new
        or version in session.deleted
        or state.attrs.preview_state.history.has_changes()
    ):
        return [("document", version.document_id)] if version.document_id else []
    return []


def register_kinds() -> None:
    """Make documents searchable (the search area's init_app calls this)."""
    register(
        Kind(
            "document",
            Document,
            build=build,
            url=url,
            passages=passages,
            dependents=dependents,
            options=(selectinload(Document.department), selectinload(Document.current_version)),
            extra={
                "thumbnails": thumbnails,
                "thumbnail_endpoint": THUMBNAIL_ENDPOINT,
                "hit_parts": hit_parts,
                "hit_rows": hit_rows,
            },
        ),
        watch={
            Document: lambda session, d: [("document", d.id)],
            DocumentVersion: _version_document,
            Rating: lambda session, r: [("document", r.document_id)],
            # The portal also schedules on share changes; watching the rows covers direct edits too.
            **(
                {models.Share: lambda session, s: [("document", s.document_id)]}
                if hasattr(models, "Share")
                else {}
            ),
        },
    )
