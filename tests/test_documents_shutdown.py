"""Stopping Hub stops its LibreOffice: the warm soffice runs in its own session, so nothing else would."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from hub.documents import office_profile

from .browser.conftest import free_port
from .documents_helpers import docx_bytes
from .test_crash_safety import flask, wait_for

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.office


def libreoffice_of(instance: Path) -> list[int]:
    """Pids started with a profile under this instance (never another test's LibreOffice)."""
    return office_profile.users(instance / "libreoffice")


def serve(kind: str, env: dict, port: int, log):
    """app.py, or gunicorn as `make serve` runs it (the worker gets SIGTERM from its master)."""
    if kind == "gunicorn":
        args = [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py", "wsgi:app"]
        env = env | {"HUB_BIND": f"127.0.0.1:{port}", "HUB_SECRET_KEY": "a-long-random-test-secret-key"}
    else:
        args = [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def up():
        try:
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        except requests.RequestException:
            return server.poll() is not None  # exited: reported below

    wait_for(up, timeout=60, step=0.1)
    assert server.poll() is None, "the server exited at start"
    return server


@pytest.mark.parametrize(("kind", "signum"), [("app.py", signal.SIGTERM), ("app.py", signal.SIGINT),
                                              ("gunicorn", signal.SIGTERM)], ids=["app-SIGTERM", "app-SIGINT", "gunicorn"])
def test_stopping_hub_stops_its_warm_libreoffice(tmp_path, kind, signum):
    """The server converts a DOCX with its warm LibreOffice; once it is stopped, none of that is left."""
    env = os.environ.copy() | {"HUB_INSTANCE": str(tmp_path)}
    for key in ("DATABASE_URL", "HUB_REDIS_URL"):
        env.pop(key, None)
    flask(env, "db", "upgrade")
    flask(env, "users", "create", "rep@test.hub", "--name", "王磊", "--role", "staff", "--department", "移动CRM产品部",
          "--password", "long-enough-1")
    headers = {"Authorization": f"Bearer {flask(env, 'users', 'token', 'rep@test.hub').stdout.strip().splitlines()[-1]}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (tmp_path / "server.log").open("w") as log:
        server = serve(kind, env, port, log)
        try:
            dept = requests.get(f"{base}/api/v1/me", headers=headers, timeout=5).json()["department_ids"][0]
            created = requests.post(
                f"{base}/api/v1/documents", headers=headers, timeout=60, data={"department_id": dept},
                files={"file": ("方案.docx", docx_bytes(), "application/octet-stream")},
            )
            assert created.status_code == 201, created.text
            url = f"{base}/api/v1/documents/{created.json()['id']}"
            wait_for(lambda: requests.get(url, headers=headers, timeout=5).json()["preview"]["state"] == "ready",
                     timeout=120, step=0.3)
            assert libreoffice_of(tmp_path), "the conversion ran without a warm LibreOffice"
            server.send_signal(signum)  # the server process only, as systemd or docker would
            server.wait(timeout=60)
            wait_for(lambda: not libreoffice_of(tmp_path), timeout=20, step=0.1)
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            for pid in libreoffice_of(tmp_path):
                os.kill(pid, signal.SIGKILL)
