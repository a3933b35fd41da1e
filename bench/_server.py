"""Start a Hub server for a benchmark: a fresh instance, migrated and demo-loaded, on a free port."""

import os
import runpy
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


def wait_ready(base: str, timeout: float = 180) -> None:  # gunicorn workers import Hub slowly on a busy machine
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base} did not become ready")


def serve_workers(env: dict) -> int:
    """The worker count gunicorn.conf.py gives under `env` (as `make serve` would, HUB_WORKERS unset)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        return int(runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"])
    finally:
        os.environ.clear()
        os.environ.update(saved)


def server_command(mode: str, port: int, embedded: list[str], wsgi: str, conf: str = "gunicorn.conf.py") -> list[str]:
    """`embedded`: app.py's threaded Werkzeug; otherwise gunicorn with gunicorn.conf.py, as `make serve`."""
    if mode == "embedded":
        return [PY, *embedded, "--host", "127.0.0.1", "--port", str(port)]
    return [str(Path(PY).parent / "gunicorn"), "-c", conf, wsgi]


@contextmanager
def running(cmd: list[str], env: dict, port: int, log_path: Path):
    """Run `cmd` until the block ends; yield its base URL once /healthz answers."""
    base = f"http://127.0.0.1:{port}"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            wait_ready(base)
        except RuntimeError:
            log.flush()
            raise RuntimeError(f"{cmd[-1]} did not start: {log_path.read_text()[-2000:]}") from None
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def production_env(env: dict, port: int, workers: int | None) -> dict:
    env = env | {"HUB_SECRET_KEY": "bench-" + "x" * 32, "HUB_BIND": f"127.0.0.1:{port}"}
    if workers is None:
        env.pop("HUB_WORKERS", None)  # gunicorn.conf.py's own default, as `make serve`
    else:
        env["HUB_WORKERS"] = str(workers)
    return env


@contextmanager
def hub_server(mode: str = "embedded", database_url: str | None = None, redis_url: str | None = None,
               workers: int | None = None):
    """Yield (base_url, env) for a server in `mode` ("embedded": app.py; "gunicorn": gunicorn.conf.py,
    with `workers` gevent workers or, when None, as many as gunicorn.conf.py gives)."""
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
        if mode != "embedded":
            env = production_env(env, port, workers)
        cmd = server_command(mode, port, ["app.py"], "wsgi:app")
        with running(cmd, env, port, Path(instance) / "server.log") as base:
            yield base, env


@contextmanager
def floor_server(hub_env: dict, mode: str = "embedded"):
    """Yield the base URL of bench/floor_app.py served like Hub under `hub_env` (same server, worker
    count and database kind; its own table, or its own SQLite file in Hub's instance folder)."""
    port = free_port()
    env = dict(hub_env)
    if mode != "embedded":
        env = production_env(env, port, int(env["HUB_WORKERS"]) if "HUB_WORKERS" in env else None)
    done = subprocess.run([PY, "bench/floor_app.py", "init"], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stdout + done.stderr)
    cmd = server_command(mode, port, ["bench/floor_app.py", "serve"], "bench.floor_app:app", "bench/floor_gunicorn.py")
    with running(cmd, env, port, Path(env["HUB_INSTANCE"]) / "floor.log") as base:
        yield base
