"""Jinja helpers shared by every template."""

from datetime import datetime
from functools import cache
from types import SimpleNamespace

from flask import Flask, current_app, g
from flask_babel import format_datetime, get_locale, to_user_timezone
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import bindparam, literal, select

from . import markdown
from .extensions import db


@cache
def _header_statement(staff: bool):
    """The bell's and the complaint bar's counts as one statement, built once per kind of reader:
    building it (and its cache key) each request cost more than running it. The count queries only
    read the person's id, so a stand-in carrying a bound parameter makes them reusable."""
    from .customers.events import owner_alert_count_query
    from .notifications.service import unread_count_query

    me = bindparam("user_id")
    complaints = owner_alert_count_query(SimpleNamespace(id=me)).scalar_subquery() if staff else literal(0)
    return select(unread_count_query(me).scalar_subquery(), complaints)


def header_counts() -> dict:
    """The bell's unread count and the staff complaint bar's count: one statement, once per request."""
    if "header_counts" not in g:
        if not current_user.is_authenticated:
            g.header_counts = {"unread": 0, "complaints": 0}
        else:
            unread, open_complaints = db.session.execute(
                _header_statement(bool(current_user.is_staff)), {"user_id": current_user.id}
            ).one()
            g.header_counts = {"unread": unread or 0, "complaints": open_complaints or 0}
    return g.header_counts


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
                    name, generate_csrf()
                )
        return self._field


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = markdown.render
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["header_counts"] = header_counts
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
        return {"post_form": PostForm(), "me": current_user}
