"""Which full-text backend serves this app: Whoosh files (default) or PostgreSQL (HUB_SEARCH=postgres).

The Whoosh code paths stay as they are; search, the indexing job's write, reindex/check/repair and
suggestions ask `postgres()` and hand over to the pg_* modules when it says so.
"""

from __future__ import annotations

from flask import Flask, current_app

WHOOSH = "whoosh"
POSTGRES = "postgres"
CHOICES = (WHOOSH, POSTGRES)


class BackendRefused(RuntimeError):
    """The configured backend cannot run with this configuration."""


def name(app: Flask | None = None) -> str:
    config = (app or current_app).config
    return (config.get("SEARCH_BACKEND") or WHOOSH).strip().lower()


def postgres(app: Flask | None = None) -> bool:
    return name(app) == POSTGRES


def folders(app: Flask | None = None) -> tuple[str, ...]:
    """The config keys of the folders this app keeps on disk: the Whoosh index only when Whoosh serves."""
    return ("INSTANCE_DIR", "UPLOAD_DIR") if postgres(app) else ("INSTANCE_DIR", "UPLOAD_DIR", "INDEX_DIR")


def init_app(app: Flask) -> None:
    """Refuse at start a backend that cannot work (unknown name, PostgreSQL search on SQLite)."""
    chosen = name(app)
    if chosen not in CHOICES:
        raise BackendRefused(f"HUB_SEARCH={chosen!r} is not a search backend: use one of {', '.join(CHOICES)}")
    if chosen == POSTGRES:
        url = str(app.config.get("SQLALCHEMY_DATABASE_URI") or "")
        if not url.startswith(("postgresql", "postgres:")):
            raise BackendRefused(
                "HUB_SEARCH=postgres needs a PostgreSQL database: set DATABASE_URL=postgresql+psycopg://... "
                "(or leave HUB_SEARCH unset for the Whoosh index)"
            )
