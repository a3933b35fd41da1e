"""Request and response models of the documents API."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..database import MAX_ID
from .schemas import ErrorBody, Out, UserRef

Category = Literal["product", "competitor", "industry", "pricing", "case_study", "other"]


class PreviewOut(Out):
    state: Literal["queued", "rendering", "ready", "failed"]
    pages_ready: int
    page_count: int | None
    pages_total: int | None = None
    error: str | None


class VersionOut(Out):
    id: int
    number: int
    filename: str
    size: int
    mime_type: str
    file_type: str
    sha256: str
    uploader: UserRef
    created_at: datetime
    preview: PreviewOut


class DocumentSummary(Out):
    id: int
    title: str
    category: Category
    department_id: int
    visibility: Literal["staff", "department"]
    tags: list[str]
    owner: UserRef
    mime_type: str | None
    file_type: str | None
    size: int | None
    version_id: int | None
    thumbnail_url: str | None
    preview: PreviewOut
    created_at: datetime
    updated_at: datetime


class DocumentOut(DocumentSummary):
    description: str
    versions: list[VersionOut]


class DocumentList(Out):
    documents: list[DocumentSummary]
    page: int
    per_page: int
    total: int


class DocumentCreated(Out):
    id: int
    version_id: int
    preview: PreviewOut


class DuplicateOf(Out):
    id: int
    title: str
    url: str = Field(description="the document's page")
    version_url: str | None = Field(description="where to POST the file as a new version of it; null if the caller may not")


class DuplicateBody(ErrorBody):
    code: Literal["duplicate"]
    duplicate: DuplicateOf


class DuplicateError(Out):
    """409: the department already holds these bytes; send allow_duplicate=true to upload anyway."""

    error: DuplicateBody


class PageText(Out):
    page: int
    text: str


class DocumentText(Out):
    document_id: int
    version_id: int
    pages: list[PageText]


class ListQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    department_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    category: Category | None = None
    page: int = Field(default=1, ge=1, le=10_000)
    per_page: int = Field(default=20, ge=1, le=100)


class VersionQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    version: int | None = Field(default=None, ge=1, le=MAX_ID, description="version number (default: the current one)")


class TextQuery(VersionQuery):
    page: int | None = Field(default=None, ge=1, le=MAX_ID, description="1-based page; all pages when omitted")


UPLOAD_FORM = {
    "type": "object",
    "required": ["file", "department_id"],
    "properties": {
        "file": {"type": "string", "format": "binary"},
        "department_id": {"type": "integer"},
        "title": {"type": "string", "maxLength": 200, "description": "default: the file name"},
        "description": {"type": "string", "maxLength": 5000},
        "category": {"type": "string", "enum": ["product", "competitor", "industry", "pricing", "case_study", "other"]},
        "tags": {"type": "string", "description": "comma-separated"},
        "visibility": {"type": "string", "enum": ["staff", "department"]},
        "allow_duplicate": {"type": "string", "enum": ["true", "false"], "default": "false",
                            "description": "true: store the file even if the department already holds the same content"},
    },
}
VERSION_FORM = {"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}
