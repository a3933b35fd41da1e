"""Where a `next` parameter may send the browser: a path on this site, nothing else."""

import unicodedata
from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Return `target` when it is a same-site path, else None (the caller picks the landing page).

    Browsers and Werkzeug drop tabs and line breaks and read `\\` as `/`, so `/\\t/evil.example`
    would become `//evil.example`; a CR or LF would also break the Location header (500).
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in target):
        return None  # white space, control and invisible format characters
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    return target
