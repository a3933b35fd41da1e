"""What the document viewer page (views.show) reads of a document, from plain rows of one statement.

The document with its department's and owner's names and its versions with their uploaders' names, plus
the social panel's facts and the header's counts (hub.social.panel.facts_subquery) joined on true: one row
per version. Read through the session's connection as plain columns: loading ORM objects with four joined
loaders cost more than the statement itself. The objects carry the attributes of Document and
DocumentVersion that the page, hub.policy and hub.documents.services read.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, select, true
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Department, Document, DocumentPage, DocumentVersion, User
from ..social import panel as social_panel


@dataclass(frozen=True)
class Named:
    name: str


@dataclass(frozen=True)
class ShownVersion:
    id: int
    number: int
    filename: str
    size: int
    file_type: str
    preview_state: str
    pages_ready: int
    page_count: int | None
    pages_total: int | None
    preview_error: str | None
    created_at: datetime
    uploader: Named


@dataclass
class ShownDocument:
    id: int
    department_id: int
    owner_id: int
    title: str
    description: str
    category: str
    tags: str
    visibility: str
    current_version_id: int | None
    updated_at: datetime
    department: Named
    owner: Named
    versions: list[ShownVersion] = field(default_factory=list)  # by number, as Document.versions

    tag_list = Document.tag_list  # the model's property: it reads only `tags`

    @property
    def current_version(self) -> ShownVersion | None:
        return next((v for v in self.versions if v.id == self.current_version_id), None)


_DOCUMENT_COLUMNS = (
    Document.id, Document.department_id, Document.owner_id, Document.title, Document.description,
    Document.category, Document.tags, Document.visibility, Document.current_version_id, Document.updated_at,
)
_VERSION_COLUMNS = (
    DocumentVersion.id, DocumentVersion.number, DocumentVersion.filename, DocumentVersion.size,
    DocumentVersion.file_type, DocumentVersion.preview_state, DocumentVersion.pages_ready,
    DocumentVersion.page_count, DocumentVersion.pages_total, DocumentVersion.preview_error,
    DocumentVersion.created_at,
)
_D, _V = len(_DOCUMENT_COLUMNS), len(_VERSION_COLUMNS)


@cache
def _statement(staff: bool):
    """Built once per kind of reader: constructing it costs more than running it."""
    owner, uploader = aliased(User), aliased(User)
    facts = social_panel.facts_subquery(staff)
    return (
        select(*_DOCUMENT_COLUMNS, Department.name, owner.name, *_VERSION_COLUMNS, uploader.name, *facts.c)
        .select_from(Document)
        .join(facts, true())
        .outerjoin(Department, Department.id == Document.department_id)
        .outerjoin(owner, owner.id == Document.owner_id)
        .outerjoin(DocumentVersion, DocumentVersion.document_id == Document.id)
        .outerjoin(uploader, uploader.id == DocumentVersion.uploader_id)
        .where(Document.id == bindparam("doc_id"))
        .order_by(DocumentVersion.number)
    )


def load_document(doc_id: int, user) -> tuple[ShownDocument, tuple] | None:
    """(the document, the facts' columns as social_panel.document_panel reads them), or None."""
    rows = db.session.connection().execute(
        _statement(bool(user.is_staff)), {"doc_id": doc_id, "document_id": doc_id, "user_id": user.id}
    ).all()
    if not rows:
        return None
    first = rows[0]
    doc = ShownDocument(*first[:_D], Named(first[_D]), Named(first[_D + 1]))
    start = _D + 2
    for row in rows:
        if row[start] is not None:  # a document without versions has one row of NULLs for them
            doc.versions.append(ShownVersion(*row[start:start + _V], Named(row[start + _V])))
    return doc, first[start + _V + 1:]


_FIRST_PAGE_TEXT = (
    select(DocumentPage.text)
    .where(DocumentPage.version_id == bindparam("version_id"))
    .order_by(DocumentPage.number)
    .limit(1)
)


def first_page_text(version: ShownVersion) -> str | None:
    """The text of a version's first page (as version.pages[0].text), None when it has no pages."""
    return db.session.connection().execute(_FIRST_PAGE_TEXT, {"version_id": version.id}).scalar()
