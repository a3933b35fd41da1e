"""`GET /healthz` for load balancers: database, search index, job queue and disk space."""

import logging
import shutil
import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..extensions import db

bp = Blueprint("ops", __name__)
log = logging.getLogger("hub.ops")

MIN_FREE_BYTES = 512 * 1024 * 1024


def check_database() -> dict:
    db.session.execute(text("SELECT 1"))
    return {"ok": True}


def check_index() -> dict:
    from whoosh import index

    path = current_app.config["INDEX_DIR"]
    if not index.exists_in(path):
        return {"ok": True, "detail": "empty (nothing indexed yet)"}
    ix = index.open_dir(path)
    try:
        return {"ok": True, "documents": ix.doc_count()}
    finally:
        ix.close()


def check_jobs() -> dict:
    url = current_app.config.get("REDIS_URL")
    if url:
        import redis

        redis.Redis.from_url(url, socket_timeout=2).ping()
        return {"ok": True, "backend": "redis"}
    return {"ok": True, "backend": "embedded"}


def check_disk() -> dict:
    free = min(
        shutil.disk_usage(current_app.config[key]).free for key in ("UPLOAD_DIR", "INDEX_DIR", "INSTANCE_DIR")
    )
    return {"ok": free >= MIN_FREE_BYTES, "free_bytes": free}


CHECKS = {"database": check_database, "index": check_index, "jobs": check_jobs, "disk": check_disk}


@bp.get("/healthz")
def healthz():
    """Answer 200 when every part works, 503 naming the part that does not."""
    started = time.monotonic()
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - a health check reports any failure, it never raises
            log.warning("health check %s failed: %s", name, exc)
            results[name] = {"ok": False, "error": type(exc).__name__}
            if name == "database":
                db.session.rollback()
    healthy = all(r["ok"] for r in results.values())
    body = {"status": "ok" if healthy else "failing", "checks": results, "ms": round((time.monotonic() - started) * 1000, 1)}
    return jsonify(body), 200 if healthy else 503
