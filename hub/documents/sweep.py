"""Remove what a crash can leave in uploads/: temp files of dead processes and files no row refers to.

Stores write a temp file, rename it to its content address, then commit the row. A process
killed in between leaves either a temp file or an object without a row; neither is ever
served, and this sweep (run when a worker starts) removes them. Objects younger than
`min_age` seconds are kept, since another live process may be about to commit their row.
"""

import logging
import os
import shutil
import time
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import DocumentVersion
from . import storage

log = logging.getLogger("hub.documents")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _orphan(path: Path, now: float, min_age: float) -> bool:
    """A temp file whose writer (named in it: storage.temp_prefix) died, or any a day old. A writer on
    another host sharing the folder cannot be checked from here: only the age counts for its files."""
    owner = storage.temp_owner(path.name)
    if owner is not None and storage.temp_is_local(owner[1]) and not _pid_alive(owner[0]):
        return True
    return now - path.stat().st_mtime > max(min_age, 86400)


def sweep(min_age: float | None = None) -> dict:
    """Delete orphaned temp files, objects and preview folders; return how many of each."""
    if min_age is None:
        min_age = float(current_app.config["UPLOAD_SWEEP_MIN_AGE"])
    root = storage.root()
    now = time.time()
    removed = {"tmp": 0, "objects": 0, "previews": 0}
    temps = [*root.glob("tmp/*"), *root.glob("previews/*/.tmp-*"), *root.glob("previews/*/.render-*"),
             *root.glob("portal/logos/.tmp-*")]
    for path in temps:
        try:
            if _orphan(path, now, min_age):
                if path.is_dir():  # a render's work folder
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed["tmp"] += 1
        except FileNotFoundError:
            pass  # its writer renamed it meanwhile
    known = set(db.session.scalars(select(DocumentVersion.sha256)))
    for path in (root / "objects").glob("*/*/*") if (root / "objects").exists() else ():
        if path.name not in known and now - path.stat().st_mtime >= min_age:
            path.unlink(missing_ok=True)
            removed["objects"] += 1
    versions = {str(v) for v in db.session.scalars(select(DocumentVersion.id))}
    for path in (root / "previews").glob("*") if (root / "previews").exists() else ():
        if path.name not in versions and now - path.stat().st_mtime >= min_age:
            shutil.rmtree(path, ignore_errors=True)
            removed["previews"] += 1
    if any(removed.values()):
        log.warning("swept uploads: %s", removed)
    return removed
