"""Shared column helpers."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime (stored the same on SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


def iso(value: datetime | None) -> str | None:
    """Format a stored UTC datetime for JSON."""
    return None if value is None else value.isoformat(timespec="seconds") + "Z"
