"""`GET /healthz` for load balancers: database, search index, job queue and disk space."""

import ipaddress
import logging
import os
import shutil
import time

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user
from sqlalchemy import text

from .. import policy
from ..extensions import db

bp = Blueprint("ops", __name__)
log = logging.getLogger("hub.ops")

MIN_FREE_BYTES = 512 * 1024 * 1024


def check_database() -> dict:
    db.session.execute(text("SELECT 1"))
    return {"ok": True}


def check_index() -> dict:
    """The configured search backend answers, and how many entries it holds."""
    from ..search import backends

    if backends.postgres():
        return _postgres_index()
    return _whoosh_index()


# (folder, its files' signature, documents): the last count, reused while no file of the index changed.
_last_whoosh_count: tuple[str, tuple, int | None] | None = None


def _index_files(path: str) -> tuple | None:
    """Each file of the index folder with its size, times and inode: a commit, merge, rebuild, deletion or
    rewrite changes it. None when the folder cannot be listed (the uncached check then reports why)."""
    try:
        with os.scandir(path) as entries:
            files = []
            for entry in entries:
                st = entry.stat()
                files.append((entry.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    except OSError:
        return None
    return tuple(sorted(files))


def _whoosh_index() -> dict:
    from whoosh import index

    from ..search.index import retrying

    global _last_whoosh_count
    path = current_app.config["INDEX_DIR"]

    def count():
        if not index.exists_in(path):
            return None
        ix = index.open_dir(path)
        try:
            return ix.doc_count()
        finally:
            ix.close()

    # Opening the index reads its table of contents and every segment's term table, each time: the same
    # answer while its files are unchanged. Listed before counting, so a commit in between only means
    # the next probe counts again.
    files = _index_files(path)
    last = _last_whoosh_count
    if files is not None and last is not None and last[0] == path and last[1] == files:
        documents = last[2]
    else:
        documents = retrying(count)  # a commit may remove the generation being opened: read again
        if files is not None:
            _last_whoosh_count = (path, files, documents)
    if documents is None:
        return {"ok": True, "backend": "whoosh", "detail": "empty (nothing indexed yet)"}
    return {"ok": True, "backend": "whoosh", "documents": documents}


def _postgres_index() -> dict:
    """The exact count(*) of search_entries: one scan of a table of tens of thousands of rows, whose big
    tsvectors live out of line (TOAST), so milliseconds. reltuples would cost nothing but is an estimate:
    -1 until the first ANALYZE and stale after a reindex, numbers the table does not hold."""
    timeout_ms = int(current_app.config.get("SEARCH_STATEMENT_TIMEOUT_MS") or 2000)
    with db.engine.connect() as connection, connection.begin():
        # A probe answers in time even while something holds the table (a reindex only blocks writers).
        connection.execute(text("SELECT set_config('statement_timeout', :t, true)"), {"t": f"{timeout_ms}ms"})
        present = connection.execute(
            text(
                "SELECT to_regclass('search_entries') IS NOT NULL AND to_regclass('search_meta') IS NOT NULL"
            )
        ).scalar()
        if not present:
            return {
                "ok": False,
                "backend": "postgres",
                "detail": "search tables missing (run `flask db upgrade`)",
            }
        documents = connection.execute(text("SELECT count(*) FROM search_entries")).scalar()
    return {"ok": True, "backend": "postgres", "documents": documents}


def check_jobs() -> dict:
    url = current_app.config.get("REDIS_URL")
    if url:
        import redis

        redis.Redis.from_url(url, socket_timeout=2).ping()
        return {"ok": True, "backend": "redis"}
    return {"ok": True, "backend": "embedded"}


def check_disk() -> dict:
    from ..search import backends

    free = min(shutil.disk_usage(current_app.config[key]).free for key in backends.folders())
    return {"ok": free >= MIN_FREE_BYTES, "free_bytes": free}


CHECKS = {"database": check_database, "index": check_index, "jobs": check_jobs, "disk": check_disk}
FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-Ip")


def local_probe() -> bool:
    """A request from this host that no proxy relayed. A proxy on this host makes every visitor look
    local, so any forwarding header disqualifies it; with ProxyFix (production) the address is the
    client's own anyway, and the proxy always sends X-Forwarded-For."""
    if any(name in request.headers for name in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


@bp.get("/healthz")
def healthz():
    """Answer 200 when every part works, 503 when one does not; only admins and local probes learn which."""
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
    body = {"status": "ok" if healthy else "failing"}
    if policy.can_see_health_details(current_user, local_probe()):
        body |= {"checks": results, "ms": round((time.monotonic() - started) * 1000, 1)}
    return jsonify(body), 200 if healthy else 503
