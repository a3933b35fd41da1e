"""Settings from environment variables, with embedded defaults."""

import os
from pathlib import Path

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
        "LOGIN_RATE_LIMIT": env.get("HUB_LOGIN_RATE_LIMIT", "10 per minute"),
        "PRODUCTION": env.get("HUB_PRODUCTION", "") == "1",
        # Behind HTTPS set HUB_SECURE_COOKIES=1: cookies then travel over TLS only.
        "SESSION_COOKIE_SECURE": env.get("HUB_SECURE_COOKIES", "") == "1",
        "REMEMBER_COOKIE_SECURE": env.get("HUB_SECURE_COOKIES", "") == "1",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "BABEL_DEFAULT_LOCALE": "zh",
        "LANGUAGES": ["zh", "en"],
    }
