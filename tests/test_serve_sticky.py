"""`make serve` with two gunicorn workers: every Socket.IO session stays with its worker (hub/sticky.py).

Real gunicorn (gunicorn.conf.py, wsgi.py, gevent), real Redis (the message queue between the workers),
real python-socketio clients. Each client's requests open new connections (its long-poll holds one),
so without the routing they reach the other worker, which answers 400 and the client is dropped.
"""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import socketio as socketio_client

from .conftest import service_missing
from .live_sockets import Site, free_port

REDIS_URL = "redis://127.0.0.1:6379/9"
ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 12  # clients per test; more are added until both workers hold sessions (sid prefixes)
# Which worker accepts a new connection is the kernel's choice: twelve in a row can all land on one.
MAX_CLIENTS = 60

pytestmark = pytest.mark.redis


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py wsgi:app` with two workers on the site's instance and Redis db 9."""

    def __init__(self, site: Site, run_dir: Path):
        self.run_dir, self.port = run_dir, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = site.env() | {"HUB_SECRET_KEY": "sticky-test-" + "x" * 20, "HUB_BIND": f"127.0.0.1:{self.port}",
                            "HUB_WORKERS": "2", "HUB_REDIS_URL": REDIS_URL, "HUB_RUN_DIR": str(run_dir)}
        env.pop("HUB_ASYNC_MODE")  # wsgi.py picks gevent
        self.log = site.instance / "gunicorn.log"
        with self.log.open("w") as out:
            self.proc = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py",
                                          "wsgi:app"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline = time.monotonic() + 90
        while len(self.sockets()) < 2 or not self._answers():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"gunicorn did not come up: {self.log.read_text()[-3000:]}")
            time.sleep(0.2)

    def _answers(self) -> bool:
        try:
            return requests.get(self.url + "/login", timeout=5).status_code == 200
        except requests.ConnectionError:
            return False

    def sockets(self) -> list[Path]:
        return sorted(self.run_dir.glob("worker-*.sock"))

    def worker_pids(self) -> set[int]:
        return {int(p.stem.removeprefix("worker-")) for p in self.sockets()}

    def stop(self) -> int:
        """SIGTERM to the master, as systemd does: a graceful stop of the workers."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            raise


def redis_or_missing() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means Redis is absent
        service_missing("Redis", str(exc))


@contextmanager
def serving(folder: Path):
    """A site in `folder` served by two workers; killed at the end if a test did not stop it."""
    redis_or_missing()
    (folder / "instance").mkdir()
    site = Site(folder / "instance")
    server = Gunicorn(site, folder / "run")
    try:
        yield site, server
    finally:
        if server.proc.poll() is None:
            os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.wait()


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One server for the tests that leave it as it was (starting one takes a while)."""
    with serving(tmp_path_factory.mktemp("sticky")) as found:
        yield found


@pytest.fixture
def own(tmp_path):
    with serving(tmp_path) as found:
        yield found


class Client:
    """A python-socketio client in the account's room, recording feed events."""

    def __init__(self, url: str, token: str, account: int, transports: list[str]):
        self.bodies, self.got = [], threading.Event()
        self.sio = socketio_client.Client(reconnection=False)
        self.sio.on("feed_event", self._record)
        self.sio.connect(url, auth={"token": token}, transports=transports, wait_timeout=20)
        self.owner = int(self.sio.eio.sid.partition(".")[0])  # the pid of the worker holding the session
        assert self.sio.call("join", {"customer_id": account, "after": 0}, timeout=20)["ok"] is True

    def _record(self, data) -> None:
        self.bodies.append(data["body"])
        self.got.set()

    def wait_for(self, marker: str, seconds: float = 30) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not any(marker in b for b in self.bodies):
            self.got.wait(0.2)
            self.got.clear()
        return any(marker in b for b in self.bodies)


def clients_on_both_workers(site: Site, server: Gunicorn, transports: list[str]) -> list[Client]:
    clients = [Client(server.url, site.rep_token, site.account, transports) for _ in range(CLIENTS)]
    while {c.owner for c in clients} != server.worker_pids() and len(clients) < MAX_CLIENTS:
        clients.append(Client(server.url, site.rep_token, site.account, transports))
    owners = Counter(c.owner for c in clients)
    assert set(owners) == server.worker_pids(), f"sessions by worker: {owners}"
    return clients


def close_all(clients: list[Client]) -> None:
    for client in clients:
        if client.sio.connected:
            client.sio.disconnect()


@pytest.mark.parametrize("transports", [["polling"], ["polling", "websocket"]], ids=["polling", "upgraded"])
def test_every_client_of_either_worker_gets_the_feed_event(shared, transports):
    """Clients whose sessions live on both workers all hear an event posted through the API."""
    site, server = shared
    clients = clients_on_both_workers(site, server, transports)
    try:
        if "websocket" in transports:
            assert {c.sio.transport() for c in clients} == {"websocket"}
        marker = site.post_task(server.url, None)
        missing = [c.owner for c in clients if not c.wait_for(marker)]
        assert not missing, f"not delivered to clients of workers {Counter(missing)}"
        assert all(c.sio.connected for c in clients)
        # A second round: the long-polls that carried the first event were renewed, on either worker.
        again = site.post_task(server.url, None)
        assert all(c.wait_for(again) for c in clients)
    finally:
        close_all(clients)


def test_a_session_of_no_live_worker_is_refused_like_an_unknown_one(shared):
    """The session's worker is gone (here: never existed): engine.io's 400, so the client connects anew."""
    _site, server = shared
    dead = max(server.worker_pids()) + 100_000
    for method in ("GET", "POST"):
        r = requests.request(method, f"{server.url}/socket.io/?EIO=4&transport=polling&sid={dead}.{uuid.uuid4().hex}",
                             data="3" if method == "POST" else None, timeout=10)
        assert r.status_code == 400, r.text
        assert r.text.startswith('"Invalid session'), r.text


def test_a_killed_worker_is_replaced_and_a_graceful_stop_removes_every_socket(own):
    """A worker killed outright: the master removes its socket and the new worker takes sessions. Then
    SIGTERM with clients connected: the workers finish, exit cleanly and take their sockets along."""
    site, server = own
    victim = min(server.worker_pids())
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while (victim in server.worker_pids() or len(server.sockets()) < 2) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert victim not in server.worker_pids() and len(server.sockets()) == 2
    clients = clients_on_both_workers(site, server, ["polling"])
    try:
        marker = site.post_task(server.url, None)
        assert all(c.wait_for(marker) for c in clients)
        assert server.stop() == 0, server.log.read_text()[-3000:]
        assert server.sockets() == []
        assert "Traceback" not in server.log.read_text()
    finally:
        close_all(clients)


def test_several_workers_without_redis_are_refused(tmp_path):
    """Without the message queue each worker would hear only its own events: refuse, and say why."""
    env = os.environ | {"HUB_INSTANCE": str(tmp_path), "HUB_WORKERS": "2", "HUB_SECRET_KEY": "sticky-test-" + "x" * 20,
                        "HUB_BIND": f"127.0.0.1:{free_port()}"}
    env.pop("HUB_REDIS_URL", None)
    done = subprocess.run([str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py", "wsgi:app"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "HUB_WORKERS=2 needs HUB_REDIS_URL" in done.stdout + done.stderr
