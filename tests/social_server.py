"""A real Hub server in a subprocess for the social tests (concurrency and browser journeys).

The database is prepared with db.create_all() (migrations for the social tables are the lead's to
generate; switch to `flask --app app db upgrade` once they exist) and seeded by a child process.
"""

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "correct-horse-9"

SEED = """
import json
import os
from app import app
from hub.auth import services
from hub.extensions import db
from hub.models import Document
with app.app_context():
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        db.drop_all()
    db.create_all()
    ids, tokens = {}, {}
    for who, name, dept in (("rater", "王磊", "移动CRM产品部"), ("mentioned", "李娜", "移动CRM产品部"),
                            ("other", "陈浩", "数据分析产品部")):
        user = services.create_user(f"{who}@test.hub", name, role="staff", password=os.environ["SEED_PASSWORD"],
                                    job="sales", department_name=dept)
        db.session.flush()
        ids[who] = user.id
        tokens[who] = services.issue_token(user, "test")
    doc = Document(department_id=user.memberships[0].department_id, owner_id=ids["other"],
                   title="销售通产品白皮书", description="", category="product", tags="CRM", visibility="staff")
    db.session.add(doc)
    db.session.commit()
    print(json.dumps({"ids": ids, "tokens": tokens, "doc_id": doc.id}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(instance: Path, database_url: str | None = None) -> dict:
    env = dict(
        os.environ,
        HUB_INSTANCE=str(instance),
        SEED_PASSWORD=PASSWORD,
        HUB_LOGIN_RATE_LIMIT="1000 per minute",
        PYTHONUNBUFFERED="1",
    )
    env.pop("HUB_REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def seed(env: dict) -> dict:
    """Create the tables and three staff members and a document; return ids, tokens and the document id."""
    done = subprocess.run(
        [PYTHON, "-c", SEED], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


class LiveServer:
    """`python app.py --host 127.0.0.1 --port <free>` on a temporary instance."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(env["HUB_INSTANCE"]) / "server.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [PYTHON, "app.py", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if requests.get(self.url + "/login", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(
            "the server did not start: " + (Path(env["HUB_INSTANCE"]) / "server.log").read_text()[-3000:]
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def start(instance: Path, database_url: str | None = None) -> tuple[LiveServer, dict]:
    env = server_env(instance, database_url)
    data = seed(env)
    return LiveServer(env), data


def postgres_url(race: str) -> str:
    """The PostgreSQL the concurrency test `race` runs on; absent, the test skips (fails in CI).

    Under the PostgreSQL half each pytest worker has its own database already. In the SQLite half the
    races of different files run at once on different workers, and each drops and recreates its tables:
    each race gets a database of its own (made on demand), so one never pulls the tables from under another.
    """
    from sqlalchemy import create_engine, text

    from .conftest import TEST_DATABASE_URL, service_missing

    url = TEST_DATABASE_URL or f"postgresql+psycopg://postgres@127.0.0.1:5432/test_race_{race}"
    try:
        if not TEST_DATABASE_URL:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True, connect_timeout=5) as conn:
                if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (f"test_race_{race}",)).fetchone():
                    conn.execute(f'CREATE DATABASE "test_race_{race}"')
        engine = create_engine(url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means the service is absent
        service_missing("PostgreSQL", str(exc))
    return url


def read_after_race(instance, database_url, read):
    """Run `read(connection)` on the race's database, then leave a shared PostgreSQL as other tests expect it."""
    from sqlalchemy import create_engine

    from hub.extensions import db

    uri = database_url or f"sqlite:///{instance / 'hub.db'}"
    engine = create_engine(uri.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        result = read(connection)
    if database_url:
        db.metadata.drop_all(engine)
    engine.dispose()
    return result
