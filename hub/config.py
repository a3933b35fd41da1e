"""Settings from environment variables, with embedded defaults."""

import os
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-not-secret"


def instance_paths(instance: str | None) -> dict[str, Path]:
    """Return where the database, uploads and index live for an instance folder."""
    if instance:
        base = Path(instance).resolve()
        return {
            "instance": base,
            "database": base / "hub.db",
            "uploads": base / "uploads",
            "index": base / "search_index",
        }
    return {
        "instance": ROOT / "instance",
        "database": ROOT / "instance" / "hub.db",
        "uploads": ROOT / "uploads",
        "index": ROOT / "search_index",
    }


def socketio_channel(redis_url: str | None) -> str:
    """One Pub/Sub channel per Redis database: Pub/Sub ignores database numbers, so two Hubs on one
    Redis server (or two test runs) would otherwise deliver and close each other's sockets."""
    database = urlparse(redis_url or "").path.strip("/") or "0"
    return f"hub-socketio-{database}"


# An empty variable means the default, like an unset one.
def _text(env: dict[str, str], name: str, default: str) -> str:
    return env.get(name) or default


def _int(env: dict[str, str], name: str, default: int) -> int:
    return int(_text(env, name, str(default)))


def _float(env: dict[str, str], name: str, default: float) -> float:
    return float(_text(env, name, str(default)))


def from_environment(env: dict[str, str] | None = None) -> dict:
    """Build the Flask config mapping from the process environment: every setting Hub reads, with its default."""
    env = dict(os.environ if env is None else env)
    paths = instance_paths(env.get("HUB_INSTANCE"))
    redis_url = env.get("HUB_REDIS_URL") or None
    secure_cookies = env.get("HUB_SECURE_COOKIES") == "1"
    return {
        "SECRET_KEY": _text(env, "HUB_SECRET_KEY", DEV_SECRET_KEY),
        "INSTANCE_DIR": str(paths["instance"]),
        # Several hosts share one uploads folder (NFS or similar) while each keeps its own instance.
        "UPLOAD_DIR": str(Path(env["HUB_UPLOAD_DIR"]).resolve()) if env.get("HUB_UPLOAD_DIR") else str(paths["uploads"]),
        "INDEX_DIR": str(Path(env["HUB_INDEX_DIR"]).resolve()) if env.get("HUB_INDEX_DIR") else str(paths["index"]),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or f"sqlite:///{paths['database']}",
        "REDIS_URL": redis_url,
        # Threads for `app.py`; gunicorn's gevent worker sets HUB_ASYNC_MODE=gevent. Never left to
        # auto-detection: an installed but unpatched gevent would be picked and block the server.
        "SOCKETIO_ASYNC_MODE": _text(env, "HUB_ASYNC_MODE", "threading"),
        # Jobs run in a thread of the app process unless REDIS_URL is set (then `flask worker` runs
        # them). None: on, except under TESTING (see `finish`).
        "JOBS_EMBEDDED_WORKER": None,
        # Files in uploads/ that no row refers to are removed when older than this (seconds).
        "UPLOAD_SWEEP_MIN_AGE": _int(env, "HUB_UPLOAD_SWEEP_MIN_AGE", 600),
        "MAX_CONTENT_LENGTH": _int(env, "HUB_MAX_UPLOAD_MB", 100) * 1024 * 1024,
        "DOCUMENT_MAX_BYTES": None,  # one document file at most; None: the request limit above
        # Previews: page cap, image sizes (pixels, long side), timeouts (seconds) and decoding limits.
        "PREVIEW_MAX_PAGES": _int(env, "HUB_PREVIEW_MAX_PAGES", 300),
        "PREVIEW_PAGE_PX": _int(env, "HUB_PREVIEW_PAGE_PX", 1400),  # the resolution for any page size
        "PREVIEW_MAX_PAGE_PX": 2400,  # PREVIEW_PAGE_PX is capped to this
        "PREVIEW_THUMB_PX": 360,
        "PREVIEW_JPEG_QUALITY": 80,
        "PREVIEW_CONVERT_TIMEOUT": _int(env, "HUB_PREVIEW_CONVERT_TIMEOUT", 120),
        "PREVIEW_RENDER_TIMEOUT": _int(env, "HUB_PREVIEW_RENDER_TIMEOUT", 60),
        "PREVIEW_IMAGE_MAX_PIXELS": 60_000_000,
        # A warm LibreOffice over UNO (when python3-uno is there). None: on, except under TESTING, so
        # tests leave no LibreOffice running (see `finish`).
        "PREVIEW_WARM_OFFICE": None,
        # True: the commit itself updates the search index instead of a queued job.
        "SEARCH_INDEX_SYNC": False,
        # Full-text backend: "whoosh" (files in INDEX_DIR) or "postgres" (needs a PostgreSQL DATABASE_URL).
        "SEARCH_BACKEND": _text(env, "HUB_SEARCH", "whoosh"),
        "SEARCH_STATEMENT_TIMEOUT_MS": 2000,  # PostgreSQL backend: each search's statements, at most
        # Rankings and expert lists are remembered this long per process (0: not at all).
        "SOCIAL_CACHE_SECONDS": 60,
        # What production serves (compressed, cached) under /static/.
        "STATIC_DIR": str(ROOT / "static"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Refused sign-ins per e-mail, and per client address (generous: one office NAT shares it).
        "LOGIN_RATE_LIMIT": _text(env, "HUB_LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_IP_RATE_LIMIT": _text(env, "HUB_LOGIN_IP_RATE_LIMIT", "100 per minute"),
        # Password-change attempts per person (each one checks the current password).
        "PASSWORD_RATE_LIMIT": _text(env, "HUB_PASSWORD_RATE_LIMIT", "5 per 10 minutes"),
        # A password reset link made by an admin works once, for this many hours.
        "PASSWORD_RESET_HOURS": _float(env, "HUB_PASSWORD_RESET_HOURS", 24),
        # Longer paths plus query strings are refused with 414 before Flask parses them; just under
        # gunicorn's request-line limit (8190 bytes, gunicorn.conf.py), so behind it the 414 comes first.
        "MAX_URL_BYTES": _int(env, "HUB_MAX_URL_BYTES", 8000),
        # A sign-in ends after this many days without a request, and this many days after it began.
        "SESSION_IDLE_DAYS": _float(env, "HUB_SESSION_IDLE_DAYS", 14),
        "SESSION_ABSOLUTE_DAYS": _float(env, "HUB_SESSION_ABSOLUTE_DAYS", 30),
        "PRODUCTION": env.get("HUB_PRODUCTION") == "1",
        # Under gunicorn: page and API reads one worker runs at once, the rest queue in arrival order
        # (hub/admission.py). Raise it when the database is on another host (more time waiting on it).
        "WORKER_SLOTS": _int(env, "HUB_WORKER_SLOTS", 4),
        # PostgreSQL connections each process keeps (and 10 more at peaks): above the requests
        # a worker runs at once, so a request never waits for a connection behind one that came later.
        "DB_POOL_SIZE": _int(env, "HUB_DB_POOL_SIZE", 20),
        # Behind HTTPS set HUB_SECURE_COOKIES=1: cookies then travel over TLS only.
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "BABEL_DEFAULT_LOCALE": "zh",
        "LANGUAGES": ["zh", "en"],
    }


# Settings whose default depends on TESTING, which tests pass after from_environment.
FOLLOW_TESTING = ("JOBS_EMBEDDED_WORKER", "PREVIEW_WARM_OFFICE")


def finish(config) -> None:
    """Settle the defaults that depend on other settings, once the test config (if any) is applied."""
    for key in FOLLOW_TESTING:
        if config.get(key) is None:
            config[key] = not config.get("TESTING")
