"""Documents: a titled record in a department, its versions (stored files) and extracted pages."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

CATEGORIES = ("product", "competitor", "industry", "pricing", "case_study", "other")
VISIBILITIES = ("staff", "department")
PREVIEW_STATES = ("queued", "rendering", "ready", "failed")


class Document(db.Model):
    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint("visibility IN ('staff', 'department')", name="ck_documents_visibility"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20), default="other")
    tags: Mapped[str] = mapped_column(String(500), default="")  # comma-separated, normalised
    visibility: Mapped[str] = mapped_column(String(12), default="staff")
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_versions.id", use_alter=True, name="fk_documents_current_version")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    department = relationship("Department")
    owner = relationship("User")
    versions = relationship(
        "DocumentVersion",
        back_populates="document",
        foreign_keys="DocumentVersion.document_id",
        order_by="DocumentVersion.number",
        cascade="all, delete-orphan",
    )
    current_version = relationship("DocumentVersion", foreign_keys=[current_version_id], post_update=True)

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


class DocumentVersion(db.Model):
    """One uploaded file of a document; the bytes live under uploads/ by sha256."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_document_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))  # the user's name for it; never used in a path
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime_type: Mapped[str] = mapped_column(String(120))
    file_type: Mapped[str] = mapped_column(String(12))  # pdf, docx, xlsx, png, txt, ...
    preview_state: Mapped[str] = mapped_column(String(12), default="queued")
    pages_ready: Mapped[int] = mapped_column(default=0)
    page_count: Mapped[int | None]
    preview_error: Mapped[str | None] = mapped_column(String(500))
    pages_total: Mapped[int | None]  # pages in the file; page_count is how many are rendered (capped)
    thumb_path: Mapped[str | None] = mapped_column(String(300))  # relative to UPLOAD_DIR
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document = relationship("Document", back_populates="versions", foreign_keys=[document_id])
    uploader = relationship("User")
    pages = relationship(
        "DocumentPage", back_populates="version", order_by="DocumentPage.number", cascade="all, delete-orphan"
    )


class DocumentPage(db.Model):
    """A rendered page of a version: its image (by path under uploads/) and its extracted text."""

    __tablename__ = "document_pages"
    __table_args__ = (UniqueConstraint("version_id", "number", name="uq_document_pages_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]  # 1-based
    text: Mapped[str] = mapped_column(Text, default="")
    image_path: Mapped[str | None] = mapped_column(String(300))  # relative to UPLOAD_DIR
    width: Mapped[int | None]
    height: Mapped[int | None]

    version = relationship("DocumentVersion", back_populates="pages")
