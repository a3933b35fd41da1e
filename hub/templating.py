"""Jinja helpers shared by every template."""

from datetime import datetime

from flask import Flask, g
from flask_babel import format_datetime, get_locale
from flask_login import current_user
from sqlalchemy import literal, select

from . import markdown
from .auth.forms import EmptyForm
from .extensions import db


def header_counts() -> dict:
    """The bell's unread count and the staff complaint bar's count: one statement, once per request."""
    if "header_counts" not in g:
        from .customers.events import owner_alert_count_query
        from .notifications.service import unread_count_query

        if not current_user.is_authenticated:
            g.header_counts = {"unread": 0, "complaints": 0}
        else:
            complaints = owner_alert_count_query(current_user).scalar_subquery() if current_user.is_staff else literal(0)
            unread, open_complaints = db.session.execute(
                select(unread_count_query(current_user.id).scalar_subquery(), complaints)
            ).one()
            g.header_counts = {"unread": unread or 0, "complaints": open_complaints or 0}
    return g.header_counts


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = markdown.render
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["header_counts"] = header_counts
    app.json.ensure_ascii = False  # readable Chinese in API answers

    @app.template_filter("when")
    def when(value: datetime | None) -> str:
        return "" if value is None else format_datetime(value, "yyyy-MM-dd HH:mm")

    @app.context_processor
    def common():
        return {"post_form": EmptyForm(), "me": current_user}
