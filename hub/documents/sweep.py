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
from ..ids import parse_id
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


def _tmp_owner(path: Path) -> int | None:
    """`up-<pid>-...` names the process writing the temp file."""
    parts = path.name.split("-")
    return parse_id(parts[1]) if len(parts) > 2 and parts[0] == "up" else None


def sweep(min_age: float | None = None) -> dict:
    """Delete orphaned temp files, objects and preview folders; return how many of each."""
    if min_age is None:
        min_age = float(current_app.config["UPLOAD_SWEEP_MIN_AGE"])
    root = storage.root()
    now = time.time()
    removed = {"tmp": 0, "objects": 0, "previews": 0}
    for path in (root / "tmp").glob("*") if (root / "tmp").exists() else ():
        owner = _tmp_owner(path)
        if (owner is not None and not _pid_alive(owner)) or now - path.stat().st_mtime > max(min_age, 86400):
            path.unlink(missing_ok=True)
            removed["tmp"] += 1
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
