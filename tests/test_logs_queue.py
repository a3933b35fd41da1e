"""The JSON logs go through a queue to their stream: every line still appears, from many threads,
under gevent, and by the time the process exits."""

import io
import json
import logging
import subprocess
import sys
import threading
from pathlib import Path

from flask import g

from hub.ops import logs

ROOT = Path(__file__).resolve().parent.parent


def test_every_line_of_many_threads_reaches_the_stream(app):
    stream = io.StringIO()
    logger = logging.getLogger("hub.test_queue")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = logs.install(logger, stream)

    def work(n):
        for i in range(50):
            with app.test_request_context(f"/t/{n}"):
                g.request_id = f"r{n}-{i}"
                logger.info("line %s %s", n, i, extra={"status": 200})

    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        handler.writer.stop()
        logger.removeHandler(handler)
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(entries) == 1000
    assert {e["request_id"] for e in entries} == {f"r{n}-{i}" for n in range(20) for i in range(50)}
    assert all(e["status"] == 200 and e["path"].startswith("/t/") for e in entries)


SCRIPT = """
from gevent import monkey
monkey.patch_all()
import logging, sys, gevent
from hub.ops import logs
logger = logging.getLogger("hub.gevent_queue")
logger.propagate = False
logger.setLevel(logging.INFO)
logs.install(logger, sys.stdout)
def work(n):
    for i in range(100):
        logger.info("line %s %s", n, i)
        gevent.sleep(0)
gevent.joinall([gevent.spawn(work, n) for n in range(10)])
"""


def test_under_gevent_every_line_is_written_by_exit():
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line)["message"] for line in done.stdout.splitlines()]
    assert sorted(lines) == sorted(f"line {n} {i}" for n in range(10) for i in range(100))
