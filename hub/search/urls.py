"""Links to search hits, built from endpoints other areas own (with a plain path while they are missing)."""

from urllib.parse import urlencode

from flask import url_for
from werkzeug.routing import BuildError


def build_url(endpoint: str, fallback: str, anchor: str | None = None, **values) -> str:
    """Return url_for(endpoint, **values), or fallback with the leftover values as a query string."""
    try:
        url = url_for(endpoint, **values)
    except BuildError:
        extra = {k: v for k, v in values.items() if k == "page"}
        url = fallback + (f"?{urlencode(extra)}" if extra else "")
    return url + (f"#{anchor}" if anchor else "")
