"""Documents: upload, versions, previews. Admins see all; staff see `staff` documents and their own
departments' ones; customer users only what an active share grants their account."""

from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, false, or_, true

from ..extensions import db
from ..models import Department, Document, User
from ..portal.share_queries import shared_documents_condition
from .departments import can_post_in
from .portal import portal_account, shared_with_customer


def can_view_document(user: User, document) -> bool:
    """Admins see all; staff see `staff` documents and their own departments' ones; customers what is shared."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    if user.is_customer:
        return shared_with_customer(user, document)
    if not user.is_staff:
        return False
    return document.visibility == "staff" or document.department_id in user.department_ids


def visible_documents(user: User):
    """A SQL condition on Document that keeps only what `can_view_document` admits (for lists, rankings)."""
    if getattr(user, "is_authenticated", False) and user.is_customer:
        account = portal_account(user)
        return shared_documents_condition(account.id if account is not None else None)
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return false()
    if user.is_admin:
        return true()
    return or_(Document.visibility == "staff", Document.department_id.in_(sorted(user.department_ids)))


def visible_documents_shape(user: User) -> tuple[str, dict] | None:
    """visible_documents as a shape and its parameters, so a list statement is built once per shape
    (building and cache-keying it per request cost as much as running it). None for customers: their
    shares expire by the clock, so they take visible_documents itself."""
    if getattr(user, "is_authenticated", False) and user.is_customer:
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return "nothing", {}
    if user.is_admin:
        return "everything", {}
    return "staff_or_departments", {"visible_department_ids": sorted(user.department_ids)}


@cache
def visible_documents_condition(shape: str):
    """The condition of a shape on the documents table (Core columns: no ORM compile step), its
    parameters bound at execution."""
    if shape == "nothing":
        return false()
    if shape == "everything":
        return true()
    c = Document.__table__.c
    return or_(c.visibility == "staff", c.department_id.in_(bindparam("visible_department_ids", expanding=True)))


def visible_documents_filter(user: User):
    """The where-clause for document lists (the same as visible_documents)."""
    return visible_documents(user)


def can_upload_to(user: User, department: Department) -> bool:
    """Members of an active department (and admins) add documents to it."""
    return can_post_in(user, department) and department.active


def can_edit_document(user: User, document) -> bool:
    """New versions, deletion: the owner or an admin."""
    return can_view_document(user, document) and (user.is_admin or document.owner_id == user.id)


def can_retry_preview(user: User, document) -> bool:
    return user.is_admin and can_view_document(user, document)


def join_document_room(user: User, ident: int) -> bool:
    """`doc:<id>`: a document's live ratings and comments, for whoever may see the document."""
    document = db.session.get(Document, ident)
    return document is not None and can_view_document(user, document)
