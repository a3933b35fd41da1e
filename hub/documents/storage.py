"""Files under UPLOAD_DIR: originals by sha256 (written atomically, stored once), previews by version id.

Layout (no user-given name ever reaches a path):
  objects/ab/cd/<sha256>         the original bytes
  previews/<version_id>/         p0001.jpg ..., thumb.jpg, converted.pdf
  tmp/                           uploads in flight (removed on any failure)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

CHUNK = 1024 * 1024


class TooLarge(Exception):
    pass


@dataclass
class Incoming:
    """An upload streamed to a temp file, hashed, not yet stored."""

    path: str
    sha256: str
    size: int

    def discard(self) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def object_path(sha256: str) -> Path:
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        raise ValueError("not a sha256 hex digest")
    return root() / "objects" / sha256[:2] / sha256[2:4] / sha256


def preview_dir(version_id: int) -> Path:
    return root() / "previews" / str(int(version_id))


def page_rel(version_id: int, number: int) -> str:
    """Path of a page image relative to UPLOAD_DIR (what DocumentPage.image_path holds)."""
    return f"previews/{int(version_id)}/p{int(number):04d}.jpg"


def thumb_rel(version_id: int) -> str:
    return f"previews/{int(version_id)}/thumb.jpg"


def resolve(rel: str) -> Path:
    """Turn a stored relative path into an absolute one, refusing anything outside UPLOAD_DIR."""
    base = root().resolve()
    path = (base / rel).resolve()
    if base not in path.parents:
        raise ValueError("path outside the upload folder")
    return path


def receive(stream, max_bytes: int) -> Incoming:
    """Copy an upload stream to a temp file while hashing; refuse past max_bytes (nothing is left behind)."""
    tmp_dir = root() / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, prefix=f"up-{os.getpid()}-")  # the pid lets a sweep spot orphans
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge()
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return Incoming(tmp, digest.hexdigest(), size)


def keep(incoming: Incoming) -> Path:
    """Move a received file to its content address (rename is atomic); identical bytes are stored once."""
    final = object_path(incoming.sha256)
    if final.exists():
        incoming.discard()
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(incoming.path, final)
    _fsync_dir(final.parent)
    return final


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def remove_object_if_unused(sha256: str, still_used: bool) -> None:
    if not still_used:
        try:
            object_path(sha256).unlink()
        except FileNotFoundError:
            pass


def remove_previews(version_id: int) -> None:
    shutil.rmtree(preview_dir(version_id), ignore_errors=True)
