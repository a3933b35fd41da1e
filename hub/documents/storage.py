"""Files under UPLOAD_DIR: originals by sha256 (written atomically, stored once), previews by version id.

Layout (no user-given name ever reaches a path):
  objects/ab/cd/<sha256>         the original bytes
  previews/<version_id>/         p0001.jpg ..., thumb.jpg, converted.pdf
  tmp/                           uploads in flight (removed on any failure)

UPLOAD_DIR may be one folder shared by several hosts (NFS or similar). So nothing is written in place:
every file is written to a temp file in the target's own folder (or tmp/, on the same file system),
named with the host and pid so two hosts never share one, fsynced, renamed over the target
(os.replace is atomic) and the folder fsynced. Readers see the old file or the new one, never half.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
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


def host_tag() -> str:
    """This host's name as it appears in temp names."""
    return re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname()) or "host"


def temp_prefix(kind: str) -> str:
    """`<kind>-<pid>@<host>-`: no two processes of any host share a temp name; the sweep reads the owner back."""
    return f"{kind}-{os.getpid()}@{host_tag()}-"


_OWNER = re.compile(r"^\.?[a-z]+-(\d{1,10})(?:@(.+))?-[^-]*$")


def temp_owner(name: str) -> tuple[int, str | None] | None:
    """(pid, host) of a temp name made by temp_prefix; host None for the older `up-<pid>-...` names."""
    match = _OWNER.match(name)
    return (int(match.group(1)), match.group(2)) if match else None


def temp_is_local(host: str | None) -> bool:
    """Whether a temp file's writer ran on this host (only then can its pid be checked here)."""
    return host is None or host == host_tag()


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
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, prefix=temp_prefix("up"))  # host and pid let a sweep spot orphans
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
    make_dirs(final.parent)
    os.replace(incoming.path, final)  # receive() fsynced it; tmp/ is on the same file system
    sync_dir(final.parent)
    return final


def sync_dir(path: Path) -> None:
    """fsync a folder, so the names renamed into it survive a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs(path: Path) -> None:
    """mkdir -p, fsyncing each parent whose new entry was made, so a crash cannot lose the folder of a file."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        folder.mkdir(exist_ok=True)  # another host may make it at the same moment
        sync_dir(folder.parent)


def temp_beside(path: Path) -> Path:
    """A new, empty, unique temp file in the target's folder (hidden, so no reader or backup takes it)."""
    make_dirs(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(".tmp"), suffix=path.suffix)
    os.close(fd)
    return Path(tmp)


def publish(tmp: Path, path: Path, sync_folder: bool = True) -> None:
    """fsync a finished temp file, rename it over the target and fsync the folder; the temp goes on failure."""
    try:
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync_folder:  # a caller publishing many files into one folder syncs it once at the end
        sync_dir(path.parent)


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to path through a temp file beside it (see the module docstring)."""
    tmp = temp_beside(path)
    try:
        tmp.write_bytes(data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    publish(tmp, path)


def remove_object_if_unused(sha256: str, still_used: bool) -> None:
    if not still_used:
        try:
            object_path(sha256).unlink()
        except FileNotFoundError:
            pass


def remove_previews(version_id: int) -> None:
    shutil.rmtree(preview_dir(version_id), ignore_errors=True)
