"""Links to search hits, built from endpoints other areas own (with a plain path while they are missing).

A page of hits links to the same few endpoints many times: inside `page_links()`, each (endpoint,
value names) is built by url_for once, with stand-in numbers, and each link fills its own in. The
templates are kept for later pages of the same URL map and request root (what a relative url_for
depends on), unless the app has URL defaults or build-error handlers, which could depend on more.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlencode
from weakref import WeakKeyDictionary

from flask import current_app, url_for
from flask.globals import _cv_request
from werkzeug.routing import BuildError

# Stand-ins for integer values: long and odd enough never to appear in a route's own text.
_STAND_INS = (7391048265013, 7391048265027, 7391048265041)
_MISSING = object()  # the endpoint does not build (its area is not installed)
_linker: ContextVar["Linker | None"] = ContextVar("hub_search_linker", default=None)
# URL map -> {(script name, server name, subdomain): {(endpoint, value names): template}}
_shared: WeakKeyDictionary = WeakKeyDictionary()


def build_url(endpoint: str, fallback: str, anchor: str | None = None, **values) -> str:
    """Return url_for(endpoint, **values), or fallback with the leftover values as a query string."""
    linker = _linker.get()
    if linker is not None:
        return linker(endpoint, fallback, anchor, values)
    return _build(endpoint, fallback, anchor, values)


@contextmanager
def page_links() -> Iterator[None]:
    """Build the links of one page of hits (in one request) from a template per endpoint."""
    token = _linker.set(Linker())
    try:
        yield
    finally:
        _linker.reset(token)


def _build(endpoint: str, fallback: str, anchor: str | None, values: dict) -> str:
    try:
        url = url_for(endpoint, **values)
    except BuildError:
        url = _fallback(fallback, values)
    return url + (f"#{anchor}" if anchor else "")


def _fallback(fallback: str, values: dict) -> str:
    extra = {k: v for k, v in values.items() if k == "page"}
    return fallback + (f"?{urlencode(extra)}" if extra else "")


class Linker:
    """build_url from templates; one lives for a page of hits (url_for's answer depends on the request)."""

    def __init__(self):
        self._templates: dict = _shared_templates()

    def __call__(self, endpoint: str, fallback: str, anchor: str | None, values: dict) -> str:
        key = (endpoint, tuple(values))
        template = self._templates.get(key)
        if template is None:
            template = self._templates[key] = _template(endpoint, key[1])
        if template is False or not all(type(v) is int and v >= 0 for v in values.values()):
            return _build(endpoint, fallback, anchor, values)
        if template is _MISSING:
            url = _fallback(fallback, values)
        else:
            parts, names = template
            url = parts[0]
            for name, part in zip(names, parts[1:], strict=True):
                url += str(values[name]) + part
        return url + (f"#{anchor}" if anchor else "")


def _shared_templates() -> dict:
    """The templates of earlier pages built against the same URL map and request root, or a new
    dict for this page alone when url_for could depend on more (URL defaults, build-error handlers)."""
    app = current_app._get_current_object()
    ctx = _cv_request.get(None)
    adapter = ctx.url_adapter if ctx is not None else None
    if adapter is None or app.url_default_functions or app.url_build_error_handlers:
        return {}
    by_root = _shared.get(app.url_map)
    if by_root is None:
        by_root = _shared[app.url_map] = {}
    root = (adapter.script_name, adapter.server_name, adapter.subdomain)
    templates = by_root.get(root)
    if templates is None:
        if len(by_root) >= 16:  # hosts named by clients: keep a few
            by_root.clear()
        templates = by_root[root] = {}
    return templates


def _template(endpoint: str, names: tuple):
    """(text around the values, value names in order), _MISSING, or False when no template fits."""
    if len(names) > len(_STAND_INS):
        return False
    try:
        rules = list(current_app.url_map.iter_rules(endpoint))
    except KeyError:  # no such endpoint: url_for says what happens, each time
        return False
    if len(rules) != 1 or rules[0].defaults:  # the rule url_for picks could depend on the values
        return False
    stand_ins = dict(zip(names, _STAND_INS, strict=False))
    try:
        built = url_for(endpoint, **stand_ins)
    except BuildError:
        return _MISSING
    texts = {name: str(number) for name, number in stand_ins.items()}
    if any(built.count(text) != 1 for text in texts.values()):
        return False
    order = sorted(names, key=lambda n: built.index(texts[n]))
    parts, rest = [], built
    for name in order:
        head, _sep, rest = rest.partition(texts[name])
        parts.append(head)
    parts.append(rest)
    return tuple(parts), tuple(order)
