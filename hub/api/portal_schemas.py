"""Response models only the portal API answers with: shared documents, with the documents API's preview state.

The portal's other models are in hub.portal.schemas.
"""

from datetime import datetime

from ..schemas import Out
from .documents_schemas import PreviewOut


class SharedDocumentSummary(Out):
    id: int
    title: str
    category: str
    file_type: str | None
    version_id: int | None
    allow_download: bool
    expires_at: datetime | None
    shared_at: datetime
    thumbnail_url: str | None
    preview: PreviewOut


class SharedDocumentList(Out):
    documents: list[SharedDocumentSummary]


class SharedVersionOut(Out):
    id: int
    number: int
    preview: PreviewOut


class SharedDocumentOut(SharedDocumentSummary):
    description: str
    page_url: str
    download_url: str | None
    versions: list[SharedVersionOut]  # the current one only: what the viewer polls
