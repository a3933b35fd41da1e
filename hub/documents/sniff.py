"""Decide a file's type from its bytes (python-magic plus a look inside containers), never from its name.

`sniff(path, filename)` returns the accepted type or raises Refused with a message naming the reason.
The name's extension may only confirm the content: a PDF named `.docx` is refused as a contradiction.
Text is the exception: under a text name (.txt, .md, .csv, .log, none) whatever decodes as text is text.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from typing import NamedTuple

import magic
from flask_babel import gettext as _

from .text import looks_like_text


class FileType(NamedTuple):
    mime_type: str  # the canonical one
    extensions: set[str]  # the name endings that may carry it
    family: str  # pdf, office, text, image


TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", {"pdf"}, "pdf"),
    "docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx", "wps"}, "office"),
    "xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx", "et"}, "office"),
    "pptx": FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", {"pptx", "dps"}, "office"),
    "doc": FileType("application/msword", {"doc", "wps", "dot"}, "office"),
    "xls": FileType("application/vnd.ms-excel", {"xls", "et", "xlt"}, "office"),
    "ppt": FileType("application/vnd.ms-powerpoint", {"ppt", "dps", "pps", "pot"}, "office"),
    "odt": FileType("application/vnd.oasis.opendocument.text", {"odt"}, "office"),
    "ods": FileType("application/vnd.oasis.opendocument.spreadsheet", {"ods"}, "office"),
    "odp": FileType("application/vnd.oasis.opendocument.presentation", {"odp"}, "office"),
    "rtf": FileType("application/rtf", {"rtf", "doc", "wps"}, "office"),
    "txt": FileType("text/plain", {"txt", "text", "log", ""}, "text"),
    "md": FileType("text/markdown", {"md", "markdown"}, "text"),
    "csv": FileType("text/csv", {"csv"}, "text"),
    "png": FileType("image/png", {"png"}, "image"),
    "jpeg": FileType("image/jpeg", {"jpg", "jpeg", "jpe", "jfif"}, "image"),
    "gif": FileType("image/gif", {"gif"}, "image"),
    "webp": FileType("image/webp", {"webp"}, "image"),
}

MAGIC_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "text/rtf": "rtf",
    "application/rtf": "rtf",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/gif": "gif",
    "image/webp": "webp",
}

# The main part of an OOXML package names what it is; macro-enabled and binary variants are refused.
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
ODF_MIMETYPES = {TYPES[t].mime_type: t for t in ("odt", "ods", "odp")}
TEXT_MIMES = {"text/plain", "text/csv", "text/markdown", "text/x-markdown"}
TEXT_NAMES = TYPES["txt"].extensions | TYPES["md"].extensions | TYPES["csv"].extensions

# Zip bombs: refuse packages that would expand past these before any converter opens them.
ZIP_MAX_TOTAL = 1024 * 1024 * 1024
ZIP_MAX_RATIO = 200
ZIP_MAX_ENTRIES = 20_000


class Refused(Exception):
    """The file is not accepted; `status` is the HTTP answer (415 type, 422 empty or broken)."""

    def __init__(self, message: str, status: int = 415):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Sniffed:
    file_type: str
    mime_type: str
    family: str  # pdf, office, text, image


def extension(filename: str) -> str:
    base = os.path.basename(filename or "")
    return base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def _zip_type(path: str) -> str:
    """Name the Office type inside a zip container, after checking it is no zip bomb."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                raise Refused(_("The file holds too many parts to be a document."), 422)
            total = sum(e.file_size for e in entries)
            packed = max(1, sum(e.compress_size for e in entries))
            if total > ZIP_MAX_TOTAL or total / packed > ZIP_MAX_RATIO:
                raise Refused(_("The file would expand to an unsafe size (a zip bomb?)."), 422)
            names = set(archive.namelist())
            if "mimetype" in names:
                kind = ODF_MIMETYPES.get(archive.read("mimetype")[:100].decode("ascii", "replace").strip())
                if kind:
                    return kind
            if "[Content_Types].xml" in names:
                types = archive.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
                for marker, kind in OOXML_MAIN.items():
                    if marker in types:
                        return kind
                raise Refused(_("This Office variant (for example with macros, or binary) is not supported."))
    except zipfile.BadZipFile:
        raise Refused(_("The file is a damaged archive."), 422) from None
    raise Refused(_("A zip archive is not a document we can show."))


def _content_type(path: str, mime: str) -> str:
    if mime in MAGIC_TYPES:
        return MAGIC_TYPES[mime]
    if mime in ("application/zip", "application/x-zip-compressed", "application/octet-stream") or mime.startswith(
        ("application/vnd.openxmlformats", "application/vnd.oasis.opendocument")
    ):
        if zipfile.is_zipfile(path):
            return _zip_type(path)
    if mime in ("application/x-ole-storage", "application/CDFV2", "application/vnd.ms-office"):
        raise Refused(_("This old Office file is of a kind we cannot identify safely."))
    if mime in TEXT_MIMES:
        return "text"
    if mime in ("text/html", "image/svg+xml", "text/xml", "application/xml", "application/xhtml+xml"):
        raise Refused(_("Web pages, SVG and XML files are not accepted (they could run scripts)."))
    if mime.startswith(("application/x-executable", "application/x-sharedlib", "application/x-dosexec",
                        "application/x-mach-binary", "application/x-pie-executable")):
        raise Refused(_("Programs are not accepted."))
    raise Refused(_("Files of this type (%(mime)s) are not accepted.", mime=mime))


def _text_type(ext: str) -> str:
    if ext in TYPES["md"].extensions:
        return "md"
    if ext in TYPES["csv"].extensions:
        return "csv"
    return "txt"


def sniff(path: str, filename: str) -> Sniffed:
    """Return the type of the file at `path`; raise Refused when it is empty, unknown or contradicts its name."""
    if os.path.getsize(path) == 0:
        raise Refused(_("The file is empty."), 422)
    mime = magic.from_file(path, mime=True) or "application/octet-stream"
    ext = extension(filename)
    # libmagic names Markdown with code `text/x-java` or `application/javascript`, man pages `text/x-tex`
    # or even `audio/x-psf`. Text is only ever shown escaped (also HTML or SVG named .txt, and downloads
    # are text/plain attachments), so under a text name, bytes that decode as text are text.
    if ext in TEXT_NAMES and mime not in MAGIC_TYPES and looks_like_text(path):
        mime = TYPES[_text_type(ext)].mime_type
    kind = _content_type(path, mime)
    if kind == "text":
        kind = _text_type(ext)
        if ext and ext not in TYPES[kind].extensions:
            raise Refused(_("The file is plain text, but its name ends in .%(ext)s.", ext=ext))
    elif ext and ext not in TYPES[kind].extensions:
        raise Refused(
            _("The content is %(kind)s, but the name ends in .%(ext)s.", kind=kind.upper(), ext=ext or "?")
        )
    return Sniffed(kind, TYPES[kind].mime_type, TYPES[kind].family)
