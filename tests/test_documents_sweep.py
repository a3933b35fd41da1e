"""What a crash leaves in uploads/ is swept when a worker starts; what rows refer to stays."""

import io
import os
import subprocess
import time

from hub import jobs
from hub.documents import storage
from hub.documents.sweep import sweep

from .conftest import csrf_token


def test_sweep_removes_orphans_and_keeps_referenced_files(app, login_as, people):
    """Temp files of dead processes and objects without a row go; the stored document's file stays."""
    client = login_as("staff")
    response = client.post(
        "/api/v1/documents",
        data={"department_id": people.departments["A"], "file": (io.BytesIO("价格表\n".encode()), "p.txt")},
        headers={"X-CSRFToken": csrf_token(client, "/profile")},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    root = storage.root()
    kept = list((root / "objects").glob("*/*/*"))
    assert len(kept) == 1

    dead = subprocess.Popen(["true"])
    dead.wait()
    (root / "tmp").mkdir(exist_ok=True)
    orphan_tmp = root / "tmp" / f"up-{dead.pid}-abc"
    orphan_tmp.write_bytes(b"half an upload")
    live_tmp = root / "tmp" / f"up-{os.getpid()}-def"
    live_tmp.write_bytes(b"an upload in flight")
    orphan = storage.object_path("f" * 64)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"renamed, row never committed")
    old = time.time() - 3600
    os.utime(orphan, (old, old))
    fresh = storage.object_path("e" * 64)
    fresh.parent.mkdir(parents=True, exist_ok=True)
    fresh.write_bytes(b"another process is about to commit its row")

    removed = sweep(min_age=600)

    assert removed["tmp"] == 1 and removed["objects"] == 1
    assert not orphan_tmp.exists() and not orphan.exists()
    assert live_tmp.exists() and fresh.exists() and kept[0].exists()


def test_worker_recovery_runs_the_sweep(app):
    """Starting a worker's recovery runs the documents sweep hook."""
    from hub.documents.tasks import sweep_uploads

    assert sweep_uploads in jobs.RECOVERY_HOOKS
