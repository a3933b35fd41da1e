"""Pages of the documents area: the list, the viewer, download, new versions, delete, retry."""

from math import ceil

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import markdown, policy
from ..errors import ValidationError
from ..extensions import db
from ..ids import parse_id
from ..loading import load_visible
from ..models import CATEGORIES, Department, Document
from ..portal.staff import document_sharing
from ..social import panel as social_panel
from . import services
from .page import first_page_text, load_document
from .serving import download_response
from .sniff import TYPES
from .text import csv_rows

bp = Blueprint("documents", __name__, url_prefix="/documents")


def _int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name, ""))


@bp.app_template_global()
def department_documents(dept: Department, limit: int = 12) -> dict:
    """What a department page shows: the documents the viewer may see and whether they may upload."""
    docs, total = services.list_documents(current_user, department_id=dept.id, per_page=limit)
    return {"documents": docs, "total": total, "can_upload": policy.can_upload_to(current_user, dept)}


@bp.app_template_global()
def category_label(key: str) -> str:
    return str(services.CATEGORY_LABELS.get(key, key))


@bp.app_template_filter()
def markdown_document(source: str):
    """A Markdown document's text as the viewers show it (the staff and the portal viewer)."""
    return markdown.render_document(source)


@bp.app_template_global()
def upload_limit_bytes() -> int:
    return services.max_upload_bytes()


@bp.route("/")
def index():
    category = request.args.get("category") if request.args.get("category") in CATEGORIES else None
    dept_id = _int_arg("department")
    page = _int_arg("page") or 1
    query = request.args.get("q", "").strip()[:100] or None
    docs, total = services.list_documents(current_user, dept_id, category, page, query=query)
    departments = db.session.scalars(db.select(Department).where(Department.active).order_by(Department.name)).all()
    return render_template(
        "documents/index.html", documents=docs, total=total, page=page,
        pages=max(1, ceil(total / services.PER_PAGE)), category=category, dept_id=dept_id, query=query or "",
        categories=CATEGORIES, departments=departments,
        upload_departments=[d for d in departments if policy.can_upload_to(current_user, d)],
    )


@bp.route("/<int:doc_id>")
def show(doc_id: int):
    user = current_user._get_current_object()  # the user, not the proxy: asked several times below
    loaded = load_document(doc_id, user)  # the document, its versions and the social panel's facts: one statement
    if loaded is None or not policy.can_view_document(user, loaded[0]):
        abort(404)  # as load_visible: ids reveal nothing
    doc, facts = loaded
    version = services.find_version(doc, _int_arg("v"))
    if version is None:
        abort(404)
    family = TYPES[version.file_type].family
    text = rows = None
    truncated = False
    if family == "text" and version.preview_state == "ready":
        text = first_page_text(version)
        if text is not None and version.file_type == "csv":
            rows, truncated = csv_rows(text)
    return render_template(
        "documents/show.html", doc=doc, version=version, family=family, text=text, rows=rows, truncated=truncated,
        may_edit=policy.can_edit_document(user, doc), may_retry=policy.can_retry_preview(user, doc),
        preview=services.preview_state(version),
        # the social panel and the share panel, in planned statements rather than from their templates
        panel=social_panel.document_panel(doc, user, facts), sharing=document_sharing(doc),
    )


@bp.route("/<int:doc_id>/download")
def download(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    version = services.find_version(doc, _int_arg("v"))
    if version is None:
        abort(404)
    return download_response(version)


@bp.route("/<int:doc_id>/versions", methods=["POST"])
def upload_version(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    if not policy.can_edit_document(current_user, doc):
        abort(403)
    try:
        version = services.add_version(doc, current_user, request.files.get("file"))
    except ValidationError as exc:  # the refused file leaves nothing behind: say why on the page
        flash(exc.message, "error")
        return redirect(url_for("documents.show", doc_id=doc.id))
    flash(_("Version %(n)d uploaded; its preview is being made.", n=version.number), "success")
    return redirect(url_for("documents.show", doc_id=doc.id))


@bp.route("/<int:doc_id>/delete", methods=["POST"])
def delete(doc_id: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    if not policy.can_edit_document(current_user, doc):
        abort(403)
    dept_id = doc.department_id
    services.delete_document(doc)
    flash(_("Document deleted."), "success")
    return redirect(url_for("departments.show", dept_id=dept_id))


@bp.route("/<int:doc_id>/versions/<int:number>/retry", methods=["POST"])
def retry(doc_id: int, number: int):
    doc = load_visible(Document, doc_id, policy.can_view_document)
    version = services.find_version(doc, number)
    if version is None:
        abort(404)
    if not policy.can_retry_preview(current_user, doc):
        abort(403)
    services.retry_preview(version)
    flash(_("The preview is being made again."), "success")
    return redirect(url_for("documents.show", doc_id=doc.id, v=number))
