"""Sending stored files: originals as attachments under a cleaned name, page images revalidated."""

from flask import abort, send_file

from ..models import DocumentVersion
from . import storage
from .services import safe_filename


def private_file(path, mimetype: str, **kwargs):
    """Revalidated at every view (ETag, 304 when unchanged), so lost access also ends cached copies."""
    response = send_file(path, mimetype=mimetype, conditional=True, **kwargs)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def download_response(version: DocumentVersion):
    """Send the original as an attachment under a cleaned name, never inline."""
    path = storage.object_path(version.sha256)
    if not path.exists():
        abort(404)
    return private_file(path, version.mime_type, as_attachment=True, download_name=safe_filename(version.filename))
