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


# Preview limits (defaults live in hub/documents/render.py): HUB_PREVIEW_MAX_PAGES=300 and so on.
PREVIEW_ENV = {
    "HUB_PREVIEW_MAX_PAGES": "PREVIEW_MAX_PAGES",
    "HUB_PREVIEW_PAGE_PX": "PREVIEW_PAGE_PX",
    "HUB_PREVIEW_CONVERT_TIMEOUT": "PREVIEW_CONVERT_TIMEOUT",
    "HUB_PREVIEW_RENDER_TIMEOUT": "PREVIEW_RENDER_TIMEOUT",
}


def socketio_channel(redis_url: str | None) -> str:
    """One Pub/Sub channel per Redis database: Pub/Sub ignores database numbers, so two Hubs on one
    Redis server (or two test runs) would otherwise deliver and close each other's sockets."""
    database = urlparse(redis_url or "").path.strip("/") or "0"
    return f"hub-socketio-{database}"


def from_environment(env: dict[str, str] | None = None) -> dict:
    """Build the Flask config mapping from the process environment."""
    env = dict(os.environ if env is None else env)
    paths = instance_paths(env.get("HUB_INSTANCE"))
    redis_url = env.get("HUB_REDIS_URL") or None
    previews = {key: int(env[name]) for name, key in PREVIEW_ENV.items() if env.get(name)}
    return previews | {
        "SECRET_KEY": env.get("HUB_SECRET_KEY", DEV_SECRET_KEY),
        "INSTANCE_DIR": str(paths["instance"]),
        "UPLOAD_DIR": str(paths["uploads"]),
        "INDEX_DIR": str(paths["index"]),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or f"sqlite:///{paths['database']}",
        "REDIS_URL": redis_url,
        # Threads for `app.py`; gunicorn's gevent worker sets HUB_ASYNC_MODE=gevent. Never left to
        # auto-detection: an installed but unpatched gevent would be picked and block the server.
        "SOCKETIO_ASYNC_MODE": env.get("HUB_ASYNC_MODE", "threading"),
        # Files in uploads/ that no row refers to are removed when older than this (seconds).
        "UPLOAD_SWEEP_MIN_AGE": int(env.get("HUB_UPLOAD_SWEEP_MIN_AGE", "600")),
        "MAX_CONTENT_LENGTH": int(env.get("HUB_MAX_UPLOAD_MB", "100")) * 1024 * 1024,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Refused sign-ins per e-mail, and per client address (generous: one office NAT shares it).
        "LOGIN_RATE_LIMIT": env.get("HUB_LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_IP_RATE_LIMIT": env.get("HUB_LOGIN_IP_RATE_LIMIT", "100 per minute"),
        # Password-change attempts per person (each one checks the current password).
        "PASSWORD_RATE_LIMIT": env.get("HUB_PASSWORD_RATE_LIMIT", "5 per 10 minutes"),
        # Longer paths plus query strings are refused with 414 before Flask parses them; just under
        # gunicorn's request-line limit (8190 bytes, gunicorn.conf.py), so behind it the 414 comes first.
        "MAX_URL_BYTES": int(env.get("HUB_MAX_URL_BYTES", "8000")),
        # A sign-in ends after this many days without a request, and this many days after it began.
        "SESSION_IDLE_DAYS": float(env.get("HUB_SESSION_IDLE_DAYS", "14")),
        "SESSION_ABSOLUTE_DAYS": float(env.get("HUB_SESSION_ABSOLUTE_DAYS", "30")),
        "PRODUCTION": env.get("HUB_PRODUCTION", "") == "1",
        # Behind HTTPS set HUB_SECURE_COOKIES=1: cookies then travel over TLS only.
        "SESSION_COOKIE_SECURE": env.get("HUB_SECURE_COOKIES", "") == "1",
        "REMEMBER_COOKIE_SECURE": env.get("HUB_SECURE_COOKIES", "") == "1",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "BABEL_DEFAULT_LOCALE": "zh",
        "LANGUAGES": ["zh", "en"],
    }
