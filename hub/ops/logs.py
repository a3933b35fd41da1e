"""Structured logs: one JSON object a line, each with the request id when there is a request."""

import atexit
import json
import logging
import logging.handlers
import os
import queue
import sys
import threading
import time
from contextlib import suppress

from flask import Flask, g, has_request_context, request

# json.dumps(..., ensure_ascii=False) builds a new encoder per call; this one is the same encoder, made once.
_encode = json.JSONEncoder(ensure_ascii=False).encode


class JsonFormatter(logging.Formatter):
    _stamp = (None, "")  # (second, its text): one tuple, so threads never see half an update

    def format(self, record: logging.LogRecord) -> str:
        second, stamp = self._stamp
        if int(record.created) != second:  # strftime once a second, not once a line
            stamp = self.formatTime(record, "%Y-%m-%dT%H:%M:%S")
            self._stamp = (int(record.created), stamp)
        entry = {
            "time": stamp,
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        requested = getattr(record, "_hub_request", None)  # the access line brings them along
        if requested is not None:
            entry["request_id"], entry["method"], entry["path"] = requested
        elif has_request_context():
            entry["request_id"] = g.get("request_id")
            entry["method"] = request.method
            entry["path"] = request.path
        for key in ("status", "duration_ms", "user_id"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["stack"] = self.formatException(record.exc_info)
        return _encode(entry)


class LineQueueHandler(logging.handlers.QueueHandler):
    """Formats in the thread that logs (the JSON needs its request context) and queues the line, without
    the handler's lock: request threads never wait on each other or on the stream (under 50 threads a
    point of contention). After a fork it writes directly (`stream` set): a thread does not survive
    fork, and pool workers leave by os._exit, before any writer could drain a queue."""

    stream = None

    def prepare(self, record: logging.LogRecord) -> str:
        return self.format(record)

    def handle(self, record: logging.LogRecord) -> bool:
        if self.stream is not None:
            return super().handle(record)  # under the lock, as a StreamHandler
        if self.filter(record):
            self.emit(record)  # formatting is thread-safe and SimpleQueue.put needs no lock
            return True
        return False

    def emit(self, record: logging.LogRecord) -> None:
        if self.stream is None:
            return super().emit(record)
        try:
            self.stream.write(self.format(record) + "\n")
            self.stream.flush()
        except Exception:  # noqa: BLE001 - as logging does: report, never raise into the caller
            self.handleError(record)
        return None


class LineWriter:
    """Writes the queued lines to the stream from its own thread (a greenlet under gevent), in batches
    a few times a second: a writer woken by every line took the GIL from the request threads as often."""

    def __init__(self, lines, stream, interval: float = 0.05):
        self.lines, self.stream, self.interval = lines, stream, interval
        self._thread = None

    def start(self) -> None:
        self._stopping = threading.Event()
        # A daemon, so interpreter shutdown reaches atexit, which stops it after the last lines.
        self._thread = threading.Thread(target=self._run, name="hub-log-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            self.drain()
        self.drain()

    def drain(self) -> None:
        batch = []
        with suppress(queue.Empty):
            while True:
                batch.append(self.lines.get_nowait())
        if batch:
            try:
                self.stream.write("\n".join(batch) + "\n")
                self.stream.flush()
            except Exception:  # noqa: BLE001 - a closed stream must not end the writer
                pass

    def stop(self) -> None:
        """Write every line queued so far, then end the thread."""
        if self._thread is not None:
            self._stopping.set()
            self._thread.join()
            self._thread = None


def install(logger: logging.Logger, stream) -> LineQueueHandler:
    """Send `logger` through a queue to `stream`; every queued line is written by exit (atexit)."""
    handler = LineQueueHandler(queue.SimpleQueue())
    handler.setFormatter(JsonFormatter())
    handler._hub = True
    handler.writer = LineWriter(handler.queue, stream)
    handler.writer.start()

    def stop() -> None:
        if handler.stream is None:  # a forked child has no writer thread
            handler.writer.stop()

    def write_directly_in_child() -> None:
        handler.stream = stream

    atexit.register(stop)
    os.register_at_fork(after_in_child=write_directly_in_child)
    logger.addHandler(handler)
    return handler


def init_app(app: Flask) -> None:
    """Send the `hub` loggers to stderr as JSON lines and log every request with its duration."""
    logger = logging.getLogger("hub")
    logger.setLevel(logging.INFO)
    if not app.testing and not any(getattr(h, "_hub", False) for h in logger.handlers):
        install(logger, sys.stderr)
        logger.propagate = False
    access = logging.getLogger("hub.access")

    @app.before_request
    def _start_timer():
        g.started = time.monotonic()

    from flask_login import current_user

    @app.after_request
    def _log_request(response):
        if request.endpoint != "static":
            state = g._get_current_object()  # one proxy lookup, not one per field
            method, path, status = request.method, request.path, response.status_code
            started = getattr(state, "started", None)
            now = time.monotonic()
            access.info(
                "%s %s %s",
                method,
                path,
                status,
                extra={
                    "status": status,
                    "duration_ms": round((now - (now if started is None else started)) * 1000, 1),
                    "user_id": getattr(current_user, "id", None),
                    "_hub_request": (getattr(state, "request_id", None), method, path),
                },
            )
        return response
