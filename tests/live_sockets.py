"""Real `app.py` servers and `flask worker` processes, browsers (requests) and Socket.IO listeners, for
the tests that run Hub for real (socket closing, the Redis feed, two hosts, gunicorn stickiness)."""

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
from sqlalchemy import text

from hub import create_app
from hub.auth import services
from hub.extensions import db
from hub.models import AccessToken
from hub.search import pg_models

from .conftest import service_missing

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-9"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_or_missing(url: str) -> None:
    """Fail in CI, skip elsewhere, when the Redis a test needs is not there."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means Redis is absent
        service_missing("Redis", str(exc))


def launch(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_until_up(url: str, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"server did not come up: {log.read_text()[-3000:]}")
        try:
            requests.get(url + "/login", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)


def stop(procs: list[subprocess.Popen]) -> None:
    """SIGTERM each process, then wait for it (SIGKILL when it will not go)."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Site:
    """A database with the people in it, and the servers (and workers) serving it.

    By default everything lives in one instance folder with SQLite. With `database_url` (PostgreSQL,
    emptied first) and `upload_dir` (a folder every process shares) each server or worker may have an
    instance folder of its own, like separate hosts.
    """

    def __init__(self, instance: Path, redis_url: str | None = None, database_url: str | None = None,
                 upload_dir: Path | None = None, search: str | None = None):
        self.instance, self.redis_url, self.procs, self.urls = instance, redis_url, [], []
        self.database_url, self.upload_dir, self.search = database_url, upload_dir, search
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{instance / 'hub.db'}",
                               "REDIS_URL": None, "INSTANCE_DIR": str(instance),
                               "UPLOAD_DIR": str(upload_dir or instance / "uploads"),
                               "INDEX_DIR": str(instance / "search_index")})
        with self.app.app_context():
            if database_url:
                try:
                    db.session.execute(text("SELECT 1"))
                except Exception as exc:  # noqa: BLE001 - any connection failure means the service is absent
                    service_missing("PostgreSQL", str(exc))
                db.session.remove()
                db.drop_all()
                with db.engine.begin() as connection:
                    pg_models.drop_all(connection)
                if search == "postgres":  # what `flask db upgrade` makes on PostgreSQL
                    pg_models.metadata.create_all(db.engine)
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

    def env(self, instance: Path | None = None) -> dict:
        env = os.environ | {"HUB_INSTANCE": str(instance or self.instance), "HUB_SECRET_KEY": "socket-close-test",
                            "HUB_ASYNC_MODE": "threading", "HUB_LOGIN_RATE_LIMIT": "1000 per minute",
                            "PYTHONUNBUFFERED": "1"}
        for name in ("DATABASE_URL", "HUB_REDIS_URL", "HUB_UPLOAD_DIR", "HUB_INDEX_DIR", "HUB_SEARCH"):
            env.pop(name, None)
        if self.search:
            env["HUB_SEARCH"] = self.search
        if self.redis_url:
            env["HUB_REDIS_URL"] = self.redis_url
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        if self.upload_dir:
            env["HUB_UPLOAD_DIR"] = str(self.upload_dir)
        return env

    def start(self, count: int = 1) -> list[str]:
        for _ in range(count):
            self.start_server()
        return self.urls

    def start_server(self, instance: Path | None = None) -> str:
        """One `app.py` (on its own instance folder when given); returns its URL once it answers."""
        folder = instance or self.instance
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        log = folder / f"server-{port}.log"
        proc = launch(["app.py", "--port", str(port)], self.env(folder), log)
        self.procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        self.urls.append(url)
        wait_until_up(url, proc, log)
        return url

    def start_worker(self, instance: Path) -> subprocess.Popen:
        """One `flask worker` (needs redis_url) on its own instance folder."""
        instance.mkdir(parents=True, exist_ok=True)
        proc = launch(["-m", "flask", "--app", "app", "worker"], self.env(instance), instance / "worker.log")
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        stop(self.procs)
        if self.database_url:
            with self.app.app_context():
                db.session.remove()
                db.drop_all()
                with db.engine.begin() as connection:
                    pg_models.drop_all(connection)
                db.engine.dispose()

    def person(self, role: str = "staff", job: str | None = "product", **where) -> dict:
        """A new person with two tokens: `token` (the one a test ends) and `spare`. `where`: create_user's
        account_name or department_name."""
        email = f"p{uuid.uuid4().hex[:10]}@test.hub"
        with self.app.app_context():
            user = services.create_user(email, "孙悦", role, PASSWORD, job=job if role == "staff" else None, **where)
            raw, spare = services.issue_token(user, "ends"), services.issue_token(user, "spare")
            token_id = db.session.scalar(db.select(AccessToken.id).where(AccessToken.name == "ends",
                                                                         AccessToken.user_id == user.id))
            found = {"id": user.id, "email": email, "token": raw, "token_id": token_id, "spare": spare,
                     "departments": sorted(user.department_ids)}
            db.session.commit()
            db.session.remove()
        return found

    def post_event(self, url: str, assignee_id: int | None) -> dict:
        """A feed event on the account, by the rep (a task for `assignee_id`, who is notified; a note
        when None); returns it as the API answered, with its `marker`."""
        marker = uuid.uuid4().hex
        body = {"kind": "task", "body": f"跟进 {marker}", "assignee_id": assignee_id} if assignee_id else \
            {"kind": "note", "body": f"记录 {marker}"}
        r = requests.post(f"{url}/api/v1/customers/{self.account}/events", json=body, timeout=15,
                          headers={"Authorization": f"Bearer {self.rep_token}"})
        assert r.status_code == 201, r.text
        return r.json() | {"marker": marker}

    def post_task(self, url: str, assignee_id: int | None) -> str:
        return self.post_event(url, assignee_id)["marker"]


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
    """A python-socketio client recording `feed_event` and `notification` (and any `other` events, into
    `received`), and whether the server closed it."""

    def __init__(self, url: str, token: str | None = None, cookie: str | None = None, account: int | None = None,
                 other: tuple[str, ...] = ()):
        self.events, self.notes = [], []
        self.received: dict[str, list] = {name: [] for name in other}
        self.closed, self.got = threading.Event(), threading.Event()
        self.sio = socketio_client.Client(reconnection=False)
        self.sio.on("feed_event", lambda data: self._record(self.events, data))
        self.sio.on("notification", lambda data: self._record(self.notes, data))
        for name in other:
            self.sio.on(name, lambda data, name=name: self._record(self.received[name], data))
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
        return self.wait_until(lambda: self.heard(marker) and (self.notified(marker) or not note), seconds)

    def wait_until(self, done, seconds: float = 15) -> bool:
        """Wait until `done()` holds (checked at each message received); return whether it does."""
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
