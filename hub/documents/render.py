"""Renderers without database access: Office -> PDF (office.py), PDF -> page images and text (poppler),
images -> a downscaled page, and thumbnails. Every failure is a PreviewFailed with a reason for people.

Every file lands in the (possibly shared) uploads folder through storage's temp-fsync-rename, under
temp names of this host and pid: two hosts rendering one version at once each publish whole files.
"""

from __future__ import annotations

import logging
import tempfile
import warnings
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from pdf2image import convert_from_path, pdfinfo_from_path
from pdf2image.exceptions import (
    PDFInfoNotInstalledError,
    PDFPageCountError,
    PDFPopplerTimeoutError,
    PDFSyntaxError,
)
from PIL import Image

from ..jobs import ProgramError, run_program
from . import office, storage
from .text import plain_bullets

log = logging.getLogger("hub.documents")


class PreviewFailed(Exception):
    """The file cannot be previewed; the message is shown to people."""


def setting(name: str) -> int:
    value = int(current_app.config[name])
    if name == "PREVIEW_PAGE_PX":
        value = min(value, int(current_app.config["PREVIEW_MAX_PAGE_PX"]))
    return value


# --- LibreOffice ---------------------------------------------------------------------------------


def office_to_pdf(source: Path, file_type: str, out_pdf: Path) -> Path:
    """Convert an Office file to PDF (warm LibreOffice when available, else a cold soffice)."""
    tmp = storage.temp_beside(out_pdf)  # office.py copies across file systems: never into out_pdf itself
    try:
        way = office.to_pdf(source, file_type, tmp, setting("PREVIEW_CONVERT_TIMEOUT"))
    except office.ConversionFailed as exc:
        tmp.unlink(missing_ok=True)
        raise PreviewFailed(str(exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    storage.publish(tmp, out_pdf)
    log.debug("converted %s with the %s LibreOffice", file_type, way)
    return out_pdf


# --- PDF -----------------------------------------------------------------------------------------


def pdf_page_count(pdf: Path) -> int:
    timeout = setting("PREVIEW_RENDER_TIMEOUT")
    try:
        info = pdfinfo_from_path(str(pdf), timeout=timeout)
    except PDFPopplerTimeoutError:
        raise PreviewFailed(_("Reading the PDF took too long.")) from None
    except (PDFPageCountError, PDFSyntaxError, PDFInfoNotInstalledError, ValueError) as exc:
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise PreviewFailed(_("The PDF is protected by a password.")) from None
        raise PreviewFailed(_("The PDF is damaged and cannot be read.")) from None
    pages = int(info.get("Pages") or 0)
    if pages < 1:
        raise PreviewFailed(_("The PDF has no pages."))
    return pages


def render_pdf_pages(pdf: Path, first: int, last: int, out_dir: Path, threads: int = 1) -> dict[int, Path]:
    """Render pages first..last as JPEG named p0001.jpg...; return {page number: path}."""
    timeout = setting("PREVIEW_RENDER_TIMEOUT")
    storage.make_dirs(out_dir)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=storage.temp_prefix(".render")) as work:
        try:
            paths = convert_from_path(
                str(pdf), first_page=first, last_page=last, fmt="jpeg", output_folder=work, paths_only=True,
                size=setting("PREVIEW_PAGE_PX"), jpegopt={"quality": setting("PREVIEW_JPEG_QUALITY"), "progressive": False,
                                                          "optimize": False},
                thread_count=max(1, min(threads, last - first + 1)), timeout=timeout, output_file="pg",
            )
        except PDFPopplerTimeoutError:
            raise PreviewFailed(_("Rendering the pages took longer than %(n)d seconds.", n=timeout)) from None
        except (PDFPageCountError, PDFSyntaxError) as exc:
            raise PreviewFailed(_("The PDF is damaged and cannot be rendered.")) from exc
        rendered: dict[int, Path] = {}
        for path in sorted(paths):
            number = int(Path(path).stem.rsplit("-", 1)[1])
            final = out_dir / f"p{number:04d}.jpg"
            storage.publish(Path(path), final, sync_folder=False)
            rendered[number] = final
        if rendered:
            storage.sync_dir(out_dir)
    if not rendered:
        raise PreviewFailed(_("The PDF pages could not be rendered."))
    return rendered


def pdf_text(pdf: Path, first: int, last: int) -> list[str]:
    """Text of pages first..last (one string per page; empty where a page has none)."""
    try:
        result = run_program(
            ["pdftotext", "-f", str(first), "-l", str(last), "-enc", "UTF-8", str(pdf), "-"],
            timeout=setting("PREVIEW_RENDER_TIMEOUT"),
        )
    except ProgramError:
        return [""] * (last - first + 1)
    pages = result.stdout.decode("utf-8", "replace").split("\f")
    wanted = last - first + 1
    pages = [plain_bullets(p.strip()) for p in pages[:wanted]]
    return pages + [""] * (wanted - len(pages))


# --- images --------------------------------------------------------------------------------------


def open_image(source: Path) -> Image.Image:
    """Open an image with Pillow's decompression-bomb guard turned into a refusal."""
    limit = setting("PREVIEW_IMAGE_MAX_PIXELS")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            previous, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, limit
            try:
                image = Image.open(source)
                if image.width * image.height > limit:
                    raise Image.DecompressionBombError("too many pixels")
                image.load()
            finally:
                Image.MAX_IMAGE_PIXELS = previous
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PreviewFailed(_("The image is too large to show (more than %(n)d million pixels).", n=limit // 1_000_000)) from None
    except (OSError, SyntaxError, ValueError):
        raise PreviewFailed(_("The image is damaged and cannot be shown.")) from None
    return image


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def save_jpeg(image: Image.Image, target: Path, max_px: int) -> tuple[int, int]:
    image = _flatten(image)
    image.thumbnail((max_px, max_px))
    tmp = storage.temp_beside(target)  # unique: another host may be writing the same page right now
    try:
        image.save(tmp, "JPEG", quality=setting("PREVIEW_JPEG_QUALITY"))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    storage.publish(tmp, target)
    return image.size


def render_image(source: Path, target: Path) -> tuple[int, int]:
    """Downscale an uploaded image (first frame) to a page JPEG; return its size."""
    image = open_image(source)
    return save_jpeg(image, target, setting("PREVIEW_PAGE_PX"))


def make_thumbnail(page_image: Path, target: Path) -> None:
    with Image.open(page_image) as image:
        save_jpeg(image, target, setting("PREVIEW_THUMB_PX"))


def image_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size
