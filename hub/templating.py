"""Jinja helpers shared by every template."""

from datetime import datetime
from functools import cache
from types import SimpleNamespace

from flask import Flask, current_app, g
from flask.globals import _cv_app, _cv_request
from flask_babel import format_datetime, get_locale, to_user_timezone
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import bindparam, literal, select

from . import markdown
from .extensions import db
from .i18n import translations


@cache
def header_columns(staff: bool) -> tuple:
    """The bell's and the complaint bar's counts as two scalar subqueries on the bound parameter
    `user_id`, built once per kind of reader: building them (and their cache key) each request cost more
    than running them. A page's own statement may carry them (see remember_header_counts). The count
    queries only read the person's id, so a stand-in carrying a bound parameter makes them reusable."""
    from .customers.events import owner_alert_count_query
    from .notifications.service import unread_count_query

    me = bindparam("user_id")
    complaints = owner_alert_count_query(SimpleNamespace(id=me)).scalar_subquery() if staff else literal(0)
    return unread_count_query(me).scalar_subquery(), complaints


@cache
def _header_statement(staff: bool):
    return select(*header_columns(staff))


def remember_header_counts(unread, open_complaints) -> None:
    """The header counts as a page's own statement read them (header_columns): not asked again."""
    g.header_counts = {"unread": unread or 0, "complaints": open_complaints or 0}


def header_counts() -> dict:
    """The bell's unread count and the staff complaint bar's count: one statement, once per request."""
    if "header_counts" not in g:
        if not current_user.is_authenticated:
            g.header_counts = {"unread": 0, "complaints": 0}
        else:
            remember_header_counts(*db.session.execute(
                _header_statement(bool(current_user.is_staff)), {"user_id": current_user.id}
            ).one())
    return g.header_counts


def _csrf_once() -> str:
    """flask_wtf's generate_csrf, which gives the same token all request, asked once."""
    state = g._get_current_object()
    token = getattr(state, "_hub_csrf", None)
    if token is None:
        token = state._hub_csrf = generate_csrf()
    return token


class PostForm:
    """`post_form` of the templates: only its CSRF field, rendered once per request and as wtforms
    renders EmptyForm's (a page has several post buttons; building the form and rendering its field
    each time cost ~0.1 ms a button)."""

    __slots__ = ("_field",)

    def __init__(self) -> None:
        self._field = None

    @property
    def csrf_token(self) -> Markup:
        if self._field is None:
            config = current_app.config
            if not config.get("WTF_CSRF_ENABLED", True):
                self._field = Markup("")  # as EmptyForm without its field: nothing
            else:
                name = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
                self._field = Markup('<input id="{0}" name="{0}" type="hidden" value="{1}">').format(
                    name, _csrf_once()
                )
        return self._field


class CachedUrls:
    """Templates' url_for: a URL built once per process and reused (a page builds some fifty, most of them
    the same on every page). A path-only URL depends on nothing but its endpoint, arguments and the
    script root; anything else (relative endpoints, _external, unhashable values) goes to Flask."""

    LIMIT = 20000  # distinct URLs kept before starting over (documents' ids make the set open-ended)

    def __init__(self, app: Flask) -> None:
        self._build, self._urls = app.url_for, {}

    def __call__(self, endpoint: str, **values) -> str:
        ctx = _cv_request.get(None)  # the request without its proxy: asked ~30 times a page
        if ctx is None or endpoint[:1] == "." or "_external" in values or "_scheme" in values:
            return self._build(endpoint, **values)
        key = (ctx.request.script_root, endpoint, *values.items())
        try:
            return self._urls[key]
        except KeyError:
            if len(self._urls) >= self.LIMIT:
                self._urls.clear()
            url = self._urls[key] = self._build(endpoint, **values)
            return url
        except TypeError:  # an unhashable argument
            return self._build(endpoint, **values)


class PerLanguage:
    """`per_language(name, macro, *args)` of the templates: a macro's output that depends only on the
    reader's language and on `args` (a few flags or counts), rendered once per language and args and
    reused: most of a page's labels and links are the same on every request. `name` is unique to the
    macro; the macro is a complete element (or a run of them: every tag it opens it closes) and reads
    nothing but its args, translations and url_for, never the user, a CSRF token or the request."""

    LIMIT = 5000  # fragments kept per language before starting over (some args are counts)

    def __init__(self) -> None:
        self._done: dict = {}  # catalogue (one per language) -> {(name, script root, *args): Markup}

    def __call__(self, name: str, macro, *args) -> Markup:
        ctx = _cv_request.get(None)
        if ctx is None:  # outside a request (no script root to key on): as the macro renders it
            return Markup(macro(*args))
        done = self._language_fragments()
        key = (name, ctx.request.script_root, *args)
        out = done.get(key)
        if out is None:
            if len(done) >= self.LIMIT:
                done.clear()
            out = done[key] = Markup(macro(*args))
        return out

    def _language_fragments(self) -> dict:
        """The fragments of this request's language: found from its catalogue (hub.i18n.translations) once
        per request and locale, and kept on g while flask_babel's locale stays the same object (a
        force_locale() inside the request makes another)."""
        state = _cv_app.get().g
        locale = getattr(getattr(state, "_flask_babel", None), "babel_locale", None)
        known = state.__dict__.get("_hub_fragments")
        if locale is not None and known is not None and known[0] is locale:
            return known[1]
        catalogue = translations()
        done = self._done.get(catalogue)
        if done is None:
            done = self._done.setdefault(catalogue, {})
        state._hub_fragments = (locale, done)
        return done


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = markdown.render
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["header_counts"] = header_counts
    app.jinja_env.globals["url_for"] = CachedUrls(app)
    app.jinja_env.globals["per_language"] = PerLanguage()
    app.json.ensure_ascii = False  # readable Chinese in API answers

    @app.template_filter("when")
    def when(value: datetime | None) -> str:
        if value is None:
            return ""
        if type(value) is datetime:  # the pattern is digits only: strftime after the same rebase
            return to_user_timezone(value).strftime("%Y-%m-%d %H:%M")
        return format_datetime(value, "yyyy-MM-dd HH:mm")

    @app.context_processor
    def common():
        # `me` the user itself, not the proxy: templates read it dozens of times a page.
        # `csrf_token` as flask_wtf's, but the token (the same all request) looked up once.
        return {"post_form": PostForm(), "me": current_user._get_current_object(), "csrf_token": _csrf_once}
