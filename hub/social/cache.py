"""A short-lived, per-app memo for rankings and expert lists, keyed by what the viewer may see.

These lists aggregate every rating, view and comment; they change slowly and are shown on every home
and department page, so each process keeps an answer for SOCIAL_CACHE_SECONDS (default 60; 0 turns it off).
A rating or comment made through this process clears them at once; other processes catch up within the TTL.
"""

import time
from collections.abc import Callable
from threading import Lock

from flask import current_app

MAX_ENTRIES = 512
_lock = Lock()


def viewer_scope(user) -> tuple:
    """Two viewers with the same scope see the same lists."""
    if user.is_admin:
        return ("admin",)
    return ("staff", tuple(sorted(user.department_ids)))


def forget() -> None:
    """Drop this process's remembered lists (a rating or a comment changed them); views just wait."""
    store = current_app.extensions.get("hub_social_cache")
    if store is not None:
        with _lock:
            store.clear()


def memo(key: tuple, compute: Callable):
    seconds = current_app.config["SOCIAL_CACHE_SECONDS"]
    if not seconds:
        return compute()
    store: dict = current_app.extensions.setdefault("hub_social_cache", {})
    now = time.monotonic()
    with _lock:
        hit = store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = compute()
    with _lock:
        if len(store) >= MAX_ENTRIES:
            store.clear()
        store[key] = (now + seconds, value)
    return value
