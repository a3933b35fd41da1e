"""Scaled out: two real server processes share feed events and notifications through Redis."""

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
import socketio as socketio_client

from hub import create_app
from hub.auth import services
from hub.extensions import db

from .conftest import service_missing

REDIS_URL = "redis://127.0.0.1:6379/14"
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.redis


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()}")
        try:
            requests.get(url + "/login", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture
def cluster(tmp_path):
    """Two `app.py` processes on one database and one Redis; yields their URLs and tokens."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means Redis is absent
        service_missing("Redis", str(exc))
    instance = tmp_path / "instance"
    instance.mkdir()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'hub.db'}", "INSTANCE_DIR": str(instance),
                      "UPLOAD_DIR": str(instance / "uploads"), "INDEX_DIR": str(instance / "search_index")})
    with app.app_context():
        db.create_all()
        rep = services.create_user("rep@test.hub", "王磊", "staff", "correct-horse-9", job="sales")
        expert = services.create_user("expert@test.hub", "孙悦", "staff", "correct-horse-9", job="product")
        account = services.get_or_create_account("华东精密制造")
        account.owner = rep
        db.session.flush()
        tokens = {"rep": services.issue_token(rep, "t"), "expert": services.issue_token(expert, "t")}
        ids = {"rep": rep.id, "expert": expert.id, "account": account.id}
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    env = os.environ | {"HUB_INSTANCE": str(instance), "HUB_REDIS_URL": REDIS_URL, "HUB_SECRET_KEY": "cluster-test",
                        "HUB_ASYNC_MODE": "threading", "HUB_LOGIN_RATE_LIMIT": "1000 per minute"}
    env.pop("DATABASE_URL", None)
    procs, urls, logs = [], [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = tmp_path / f"server-{name}.log"
            with log.open("w") as out:
                proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env,
                                        stdout=out, stderr=subprocess.STDOUT)
            procs.append(proc)
            logs.append(log)
            urls.append(f"http://127.0.0.1:{port}")
        for url, proc, log in zip(urls, procs, logs, strict=True):
            wait_until_up(url, proc, log)
        yield {"A": urls[0], "B": urls[1], "tokens": tokens, "ids": ids}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


class Listener:
    """A python-socketio client that records `feed_event` and `notification` messages."""

    def __init__(self, url: str, token: str):
        self.events, self.notes = [], []
        self.got = threading.Event()
        self.sio = socketio_client.Client(reconnection=False)
        self.sio.on("feed_event", self._on_event)
        self.sio.on("notification", self._on_note)
        self.sio.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=10)

    def _on_event(self, data):
        self.events.append(data)
        self.got.set()

    def _on_note(self, data):
        self.notes.append(data)
        self.got.set()

    def wait_for(self, predicate, seconds: float = 10):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if predicate():
                return True
            self.got.wait(0.1)
            self.got.clear()
        return predicate()


def test_event_posted_on_b_reaches_client_on_a(cluster):
    """A client connected to process A receives the feed event and the notification posted through B."""
    account = cluster["ids"]["account"]
    listener = Listener(cluster["A"], cluster["tokens"]["expert"])
    try:
        ack = listener.sio.call("join", {"customer_id": account, "after": 0}, timeout=10)
        assert ack["ok"] is True
        marker = uuid.uuid4().hex
        r = requests.post(f"{cluster['B']}/api/v1/customers/{account}/events", timeout=10,
                          json={"kind": "task", "body": f"跨进程 {marker}", "assignee_id": cluster["ids"]["expert"]},
                          headers={"Authorization": f"Bearer {cluster['tokens']['rep']}"})
        assert r.status_code == 201, r.text
        created = r.json()
        # Other runs on this Redis may publish too (Pub/Sub ignores database numbers): match our marker.
        assert listener.wait_for(lambda: any(marker in e["body"] for e in listener.events))
        assert [e for e in listener.events if marker in e["body"]] == [created]
        assert listener.wait_for(lambda: any(marker in n["text"] for n in listener.notes))
    finally:
        listener.sio.disconnect()


def test_reconnect_to_the_other_process_replays_what_was_missed(cluster):
    """A client that drops from A and comes back on B gets exactly the events after its last id."""
    account, auth = cluster["ids"]["account"], {"Authorization": f"Bearer {cluster['tokens']['rep']}"}
    first = requests.post(f"{cluster['A']}/api/v1/customers/{account}/events", json={"kind": "note", "body": "一"},
                          headers=auth, timeout=10).json()
    missed = [requests.post(f"{cluster['A']}/api/v1/customers/{account}/events", headers=auth, timeout=10,
                            json={"kind": "note", "body": f"离线 {i}"}).json() for i in range(3)]
    listener = Listener(cluster["B"], cluster["tokens"]["expert"])
    try:
        ack = listener.sio.call("join", {"customer_id": account, "after": first["id"]}, timeout=10)
        assert ack["events"] == missed
    finally:
        listener.sio.disconnect()
