"""With Redis configured, a separate `flask worker` process runs the jobs the web app commits."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hub.extensions import db

from .conftest import TEST_DATABASE_URL, service_missing
from .documents_helpers import pdf_bytes, upload, version_of
from .search_helpers import hits, keys

REDIS_URL = "redis://127.0.0.1:6379/15"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        service_missing("Redis", str(exc))
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.mark.redis
def test_separate_worker_process_renders_an_upload(app, client, people, instance, redis_client):
    """An upload pushes a wake-up to Redis; `flask worker` in another process renders it to `ready`."""
    app.config["REDIS_URL"] = REDIS_URL
    env = dict(
        os.environ,
        HUB_INSTANCE=str(instance),
        HUB_REDIS_URL=REDIS_URL,
        DATABASE_URL=TEST_DATABASE_URL or f"sqlite:///{instance / 'hub.db'}",
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "tests.jobs_worker_app", "worker"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        response = upload(client, people.auth("staff"), people.departments["A"], pdf_bytes(4), "远程.pdf")
        assert response.status_code == 201
        doc_id = response.get_json()["id"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and version_of(doc_id).preview_state != "ready":
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.2)
        version = version_of(doc_id)
        assert (version.preview_state, version.pages_ready) == ("ready", 4)
        # the worker's index lane (its own thread, woken through its own Redis list) makes it findable
        found = set()
        while time.monotonic() < deadline and ("document", doc_id) not in found:
            found = keys(hits(client, "远程", people.auth("staff")))
            time.sleep(0.2)
        assert ("document", doc_id) in found
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        worker.stdout.close()
        db.session.remove()
