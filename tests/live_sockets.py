"""Real `app.py` servers, browsers (requests) and Socket.IO listeners for the socket-closing tests."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests
import socketio as socketio_client

from hub import create_app
from hub.auth import services
from hub.extensions import db
from hub.models import AccessToken

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-9"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """An instance folder with its database, the people in it and the servers serving it."""

    def __init__(self, instance: Path, redis_url: str | None = None):
        self.instance, self.redis_url, self.procs, self.urls = instance, redis_url, [], []
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'hub.db'}", "REDIS_URL": None,
                               "INSTANCE_DIR": str(instance), "UPLOAD_DIR": str(instance / "uploads"),
                               "INDEX_DIR": str(instance / "search_index")})
        with self.app.app_context():
            db.create_all()
            rep = services.create_user("rep@test.hub", "王磊", "staff", PASSWORD, job="sales")
            admin = services.create_user("admin@test.hub", "管理员", "admin", PASSWORD)
            account = services.get_or_create_account("华东精密制造")
            account.owner = rep
            db.session.flush()
            self.rep_token = services.issue_token(rep, "t")
            self.rep_id, self.account, self.admin_email = rep.id, account.id, admin.email
            db.session.commit()
            db.session.remove()

    def env(self) -> dict:
        env = os.environ | {"HUB_INSTANCE": str(self.instance), "HUB_SECRET_KEY": "socket-close-test",
                            "HUB_ASYNC_MODE": "threading", "HUB_LOGIN_RATE_LIMIT": "1000 per minute",
                            "PYTHONUNBUFFERED": "1"}
        env.pop("DATABASE_URL", None)
        env.pop("HUB_REDIS_URL", None)
        if self.redis_url:
            env["HUB_REDIS_URL"] = self.redis_url
        return env

    def start(self, count: int = 1) -> list[str]:
        for _ in range(count):
            port = free_port()
            log = self.instance / f"server-{port}.log"
            with log.open("w") as out:
                proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=self.env(),
                                        stdout=out, stderr=subprocess.STDOUT)
            self.procs.append(proc)
            url = f"http://127.0.0.1:{port}"
            self.urls.append(url)
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"server did not come up: {log.read_text()[-3000:]}")
                try:
                    requests.get(url + "/login", timeout=2)
                    break
                except requests.ConnectionError:
                    time.sleep(0.2)
        return self.urls

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()

    def person(self) -> dict:
        """A new staff member with two tokens: `token` (the one a test ends) and `spare`."""
        email = f"p{uuid.uuid4().hex[:10]}@test.hub"
        with self.app.app_context():
            user = services.create_user(email, "孙悦", "staff", PASSWORD, job="product")
            raw, spare = services.issue_token(user, "ends"), services.issue_token(user, "spare")
            token_id = db.session.scalar(db.select(AccessToken.id).where(AccessToken.name == "ends",
                                                                         AccessToken.user_id == user.id))
            found = {"id": user.id, "email": email, "token": raw, "token_id": token_id, "spare": spare}
            db.session.commit()
            db.session.remove()
        return found

    def post_task(self, url: str, assignee_id: int | None) -> str:
        """A feed event on the account (a task for `assignee_id`, who is notified; a note when None)."""
        marker = uuid.uuid4().hex
        body = {"kind": "task", "body": f"跟进 {marker}", "assignee_id": assignee_id} if assignee_id else \
            {"kind": "note", "body": f"记录 {marker}"}
        r = requests.post(f"{url}/api/v1/customers/{self.account}/events", json=body, timeout=15,
                          headers={"Authorization": f"Bearer {self.rep_token}"})
        assert r.status_code == 201, r.text
        return marker


class Browser:
    """A signed-in browser: a requests session holding the login cookie."""

    def __init__(self, url: str, email: str):
        self.url, self.http = url, requests.Session()
        r = self.http.post(f"{url}/login", timeout=15, allow_redirects=False,
                           data={"email": email, "password": PASSWORD, "csrf_token": self._csrf("/login")})
        assert r.status_code == 302, r.text[:500]

    def _csrf(self, path: str) -> str:
        return CSRF_RE.search(self.http.get(self.url + path, timeout=15).text).group(1)

    def post(self, path: str, data: dict | None = None, on: str | None = None) -> requests.Response:
        """POST a form (with its CSRF token) to this server, or to another one (`on`) sharing the cookie."""
        base = on or self.url
        token = CSRF_RE.search(self.http.get(base + "/profile", timeout=15).text).group(1)
        return self.http.post(base + path, data=(data or {}) | {"csrf_token": token}, timeout=15,
                              allow_redirects=False)

    @property
    def cookie(self) -> str:
        return self.http.cookies.get("session")


class Listener:
    """A python-socketio client recording `feed_event` and `notification`, and whether the server closed it."""

    def __init__(self, url: str, token: str | None = None, cookie: str | None = None, account: int | None = None):
        self.events, self.notes = [], []
        self.closed, self.got = threading.Event(), threading.Event()
        self.sio = socketio_client.Client(reconnection=False)
        self.sio.on("feed_event", lambda data: self._record(self.events, data))
        self.sio.on("notification", lambda data: self._record(self.notes, data))
        self.sio.on("disconnect", lambda *reason: self.closed.set())
        auth = {"token": token} if token else None
        headers = {"Cookie": f"session={cookie}"} if cookie else {}
        self.sio.connect(url, auth=auth, headers=headers, transports=["websocket"], wait_timeout=15)
        if account is not None:
            assert self.sio.call("join", {"customer_id": account, "after": 0}, timeout=15)["ok"] is True

    def _record(self, into: list, data) -> None:
        into.append(data)
        self.got.set()

    def saw(self, marker: str) -> bool:
        return self.heard(marker) or self.notified(marker)

    def heard(self, marker: str) -> bool:
        return any(marker in e["body"] for e in self.events)

    def notified(self, marker: str) -> bool:
        return any(marker in n["text"] for n in self.notes)

    def wait_for(self, marker: str, note: bool = False, seconds: float = 15) -> bool:
        """Wait for the feed event with this marker (and its notification too when `note`)."""
        def done():
            return self.heard(marker) and (self.notified(marker) or not note)

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not done():
            self.got.wait(0.2)
            self.got.clear()
        return done()

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()


def refused(url: str, token: str | None = None, cookie: str | None = None) -> bool:
    """The credential no longer opens a socket."""
    try:
        Listener(url, token=token, cookie=cookie).close()
    except socketio_client.exceptions.ConnectionError:
        return True
    return False
