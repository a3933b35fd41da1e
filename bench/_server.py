"""Start a Hub server for a benchmark: a fresh instance, migrated and demo-loaded, on a free port."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict, *args: str) -> str:
    done = subprocess.run([PY, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stdout + done.stderr)
    return done.stdout


def wait_ready(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base} did not become ready")


@contextmanager
def hub_server(mode: str = "embedded", database_url: str | None = None, redis_url: str | None = None, workers: int = 1):
    """Yield (base_url, env) for a server in `mode` ("embedded": app.py; "gunicorn": gevent workers)."""
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as instance:
        env = os.environ.copy() | {"HUB_INSTANCE": instance, "HUB_LOGIN_RATE_LIMIT": "100000 per minute"}
        env.pop("HUB_REDIS_URL", None)
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        if redis_url:
            env["HUB_REDIS_URL"] = redis_url
        flask(env, "db", "upgrade")
        flask(env, "demo", "load")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(Path(instance) / "server.log", "w")  # noqa: SIM115 - closed below
        if mode == "embedded":
            cmd = [PY, "app.py", "--host", "127.0.0.1", "--port", str(port)]
        else:
            env |= {"HUB_SECRET_KEY": "bench-" + "x" * 32, "HUB_BIND": f"127.0.0.1:{port}", "HUB_WORKERS": str(workers)}
            cmd = [str(Path(PY).parent / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"]
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_ready(base)
            yield base, env
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
