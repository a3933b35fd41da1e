"""Structured logs: one JSON object a line, each with the request id when there is a request."""

import json
import logging
import sys
import time

from flask import Flask, g, has_request_context, request


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry["request_id"] = g.get("request_id")
            entry["method"] = request.method
            entry["path"] = request.path
        for key in ("status", "duration_ms", "user_id"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["stack"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def init_app(app: Flask) -> None:
    """Send the `hub` loggers to stderr as JSON lines and log every request with its duration."""
    logger = logging.getLogger("hub")
    logger.setLevel(logging.INFO)
    if not app.testing and not any(getattr(h, "_hub", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler._hub = True
        logger.addHandler(handler)
        logger.propagate = False
    access = logging.getLogger("hub.access")

    @app.before_request
    def _start_timer():
        g.started = time.monotonic()

    @app.after_request
    def _log_request(response):
        if request.endpoint != "static":
            from flask_login import current_user

            access.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - g.get("started", time.monotonic())) * 1000, 1),
                    "user_id": getattr(current_user, "id", None),
                },
            )
        return response
