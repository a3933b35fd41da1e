"""Admission under load (hub/admission.py): reads enter in arrival order, a freed slot is never taken by a
newcomer, a waiter that is killed gives up its place, and writes and Socket.IO never queue."""

import subprocess
import sys
import textwrap
import threading
import time

import pytest

from hub import create_app
from hub.admission import FairGate
from hub.config import ROOT
from hub.database import PG_POOL_SIZE

from .test_ops import production_config


def wait_until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.005)


def queue_up(gate: FairGate, name: str, entered: list, leave: threading.Event | None = None) -> threading.Thread:
    """A thread that enters the gate, notes its name, waits for `leave` (if any) and leaves."""

    def run():
        with gate:
            entered.append(name)
            if leave is not None:
                leave.wait(10)

    before = gate.waiting
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    wait_until(lambda: gate.waiting == before + 1 or name in entered)
    return thread


def test_waiters_enter_in_arrival_order():
    gate, entered = FairGate(1), []
    gate.enter()
    threads = [queue_up(gate, f"w{i}", entered) for i in range(8)]
    assert entered == [] and gate.waiting == 8
    gate.leave()
    for thread in threads:
        thread.join(10)
    assert entered == [f"w{i}" for i in range(8)]
    assert gate.inside == 0 and gate.waiting == 0


def test_a_freed_slot_goes_to_the_waiter_not_to_a_newcomer():
    gate, entered, release = FairGate(2), [], threading.Event()
    gate.enter()
    holder = queue_up(gate, "holder", entered, leave=release)
    wait_until(lambda: "holder" in entered)
    waiter = queue_up(gate, "waiter", entered, leave=release)
    assert gate.waiting == 1
    gate.leave()  # the slot passes to the waiter without ever being free...
    wait_until(lambda: "waiter" in entered)
    newcomer_in = threading.Event()
    newcomer = threading.Thread(target=lambda: (gate.enter(), newcomer_in.set()), daemon=True)
    newcomer.start()
    wait_until(lambda: gate.waiting == 1)  # ...so the newcomer queues: both slots are taken
    assert not newcomer_in.is_set() and gate.inside == 2
    release.set()
    assert newcomer_in.wait(10)
    for thread in (holder, waiter, newcomer):
        thread.join(10)
    gate.leave()
    assert gate.inside == 0 and gate.waiting == 0


def test_a_killed_waiter_gives_up_its_place_and_a_slot_it_was_handed():
    """Under gevent, as gunicorn runs Hub: a greenlet killed in the queue neither blocks those behind
    it nor takes a slot away for ever, even when killed just as the slot was handed to it."""
    script = textwrap.dedent("""
        from gevent import monkey; monkey.patch_all()
        import gevent
        from hub.admission import FairGate

        gate, entered = FairGate(1), []
        def visit(name):
            with gate:
                entered.append(name)
        gate.enter()
        doomed, behind = gevent.spawn(visit, "doomed"), gevent.spawn(visit, "behind")
        gevent.sleep(0.01)
        assert gate.waiting == 2
        doomed.kill()                     # killed while waiting
        assert gate.waiting == 1
        gate.leave()
        behind.join(5)
        assert entered == ["behind"] and gate.inside == 0, (entered, gate.inside)

        gate.enter()
        handed = gevent.spawn(visit, "handed")
        gevent.sleep(0.01)
        gate.leave()                      # the slot is handed to it...
        handed.kill()                     # ...and it is killed before it runs
        assert gate.inside == 0 and gate.waiting == 0, (gate.inside, gate.waiting)
        gate.enter(); gate.leave()        # the slot is free again
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_a_gate_needs_a_slot():
    with pytest.raises(ValueError):
        FairGate(0)


@pytest.fixture()
def production_app(instance):
    app = create_app(production_config(instance, SECRET_KEY="x" * 32, WORKER_SLOTS=1))
    with app.app_context():
        from hub.extensions import db

        db.create_all()
    return app


def test_production_reads_wait_for_a_slot_while_writes_and_socketio_go_in(production_app):
    gate = production_app.extensions["hub.admission"].gate
    client = production_app.test_client()
    assert client.get("/healthz").status_code == 200 and gate.inside == 0
    gate.enter()  # the only slot is busy
    answers = {}
    reader = threading.Thread(target=lambda: answers.setdefault("read", client.get("/healthz").status_code), daemon=True)
    reader.start()
    wait_until(lambda: gate.waiting == 1)
    writer = production_app.test_client()

    def write_and_poll():
        answers["write"] = writer.post("/login", data={"email": "x@y.z", "password": "wrong"}).status_code
        answers["poll"] = writer.get("/socket.io/?EIO=4&transport=polling").status_code

    others = threading.Thread(target=write_and_poll, daemon=True)
    others.start()
    others.join(10)  # a write or a poll stuck behind the gate fails here rather than hanging the suite
    assert answers.get("write") in (200, 400) and answers.get("poll") == 200
    assert "read" not in answers and gate.waiting == 1
    gate.leave()
    reader.join(10)
    assert answers["read"] == 200 and gate.inside == 0


def test_production_refuses_a_gate_without_slots(instance, capsys):
    with pytest.raises(SystemExit):
        create_app(production_config(instance, SECRET_KEY="x" * 32, WORKER_SLOTS=0))
    assert "HUB_WORKER_SLOTS" in capsys.readouterr().err


def test_postgresql_pool_holds_more_connections_than_a_worker_runs_reads():
    from flask import Flask

    from hub import database
    from hub.config import from_environment

    for env, size in (({}, PG_POOL_SIZE), ({"HUB_DB_POOL_SIZE": "7"}, 7)):
        app = Flask(__name__)
        app.config.update(from_environment(env) | {"SQLALCHEMY_DATABASE_URI": "postgresql://u@h/d"})
        database.init_app(app)
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        assert options["pool_size"] == size and options["pool_size"] > app.config["WORKER_SLOTS"]
        assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
