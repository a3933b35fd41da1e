"""Crash safety: SIGKILL the server (with its embedded worker) during an upload, a preview render and an
index write, then restart it: nothing is lost or half-written, no orphan file stays in uploads/, the
interrupted jobs run again, and `flask search check` finds nothing to redo once they finish."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from .browser.conftest import free_port
from .documents_helpers import pdf_bytes

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.office  # real poppler rendering in a real server


def flask(env, *args, check=True):
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def start(env, port, log):
    server = subprocess.Popen(
        [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except requests.ConnectionError:
            time.sleep(0.1)
    server.kill()
    pytest.fail("server did not start")


def kill(server):
    os.killpg(server.pid, signal.SIGKILL)  # the server and any converter it started
    server.wait(timeout=10)


def wait_for(predicate, timeout=60.0, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    pytest.fail("timed out waiting")


def test_sigkill_during_upload_render_and_indexing_loses_nothing(tmp_path):
    """Kill -9 at three bad moments; after a restart every document is whole and uploads/ holds no orphans."""
    env = os.environ.copy() | {"HUB_INSTANCE": str(tmp_path), "HUB_UPLOAD_SWEEP_MIN_AGE": "0", "HUB_LOGIN_RATE_LIMIT": "1000 per minute"}
    for key in ("DATABASE_URL", "HUB_REDIS_URL"):
        env.pop(key, None)
    flask(env, "db", "upgrade")
    flask(env, "users", "create", "rep@test.hub", "--name", "王磊", "--role", "staff", "--department", "移动CRM产品部", "--password", "long-enough-1")
    token = flask(env, "users", "token", "rep@test.hub").stdout.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "server.log").open("w")

    # 1. Killed while an upload streams in: the body is half sent.
    server = start(env, port, log)
    dept = requests.get(f"{base}/api/v1/me", headers=headers, timeout=5).json()["department_ids"][0]
    body = pdf_bytes(pages=2)
    boundary = "crashboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"department_id\"\r\n\r\n{dept}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"half.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port)) as raw:
        raw.sendall(
            f"POST /api/v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(head) + len(body) + 100}\r\n\r\n".encode()
            + head + body[: len(body) // 2]
        )
        time.sleep(0.3)
        kill(server)

    # 2. Killed while a 40-page PDF renders (first page shown, the rest under way), with indexing queued.
    server = start(env, port, log)
    created = requests.post(
        f"{base}/api/v1/documents", headers=headers, timeout=60,
        data={"title": "崩溃测试手册", "department_id": dept, "category": "product", "visibility": "staff"},
        files={"file": ("manual.pdf", pdf_bytes(pages=40, title="崩溃测试"), "application/pdf")},
    )
    assert created.status_code == 201, created.text
    doc_id = created.json()["id"]

    def rendering():
        preview = requests.get(f"{base}/api/v1/documents/{doc_id}", headers=headers, timeout=5).json()["preview"]
        return preview["state"] == "rendering" and preview["pages_ready"] >= 1

    wait_for(rendering)
    kill(server)

    # 3. Killed while the index is being rebuilt.
    reindex = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "search", "reindex"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(1.5)
    os.killpg(reindex.pid, signal.SIGKILL)
    reindex.wait(timeout=10)

    # Restart: the interrupted render runs again and finishes; the index catches up.
    server = start(env, port, log)
    try:
        def ready():
            preview = requests.get(f"{base}/api/v1/documents/{doc_id}", headers=headers, timeout=5).json()["preview"]
            return preview if preview["state"] == "ready" else None

        preview = wait_for(ready, timeout=120, step=0.3)
        assert preview["pages_ready"] == preview["page_count"] == 40
        for page in (1, 40):
            image = requests.get(f"{base}/api/v1/documents/{doc_id}/pages/{page}", headers=headers, timeout=5)
            assert image.status_code == 200 and image.content[:3] == b"\xff\xd8\xff"
        listed = requests.get(f"{base}/api/v1/documents", headers=headers, timeout=5).json()["documents"]
        assert [d["id"] for d in listed] == [doc_id]  # the half upload left no document behind

        uploads = tmp_path / "uploads"
        assert list((uploads / "tmp").glob("*")) == []
        objects = [p.name for p in (uploads / "objects").glob("*/*/*")]
        assert len(objects) == 1  # only the rendered document's original

        def index_clean():
            return flask(env, "search", "check", check=False).returncode == 0

        wait_for(index_clean, timeout=120, step=1.0)
    finally:
        kill(server)
        log.close()
