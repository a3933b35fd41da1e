"""Jinja helpers shared by every template."""

from datetime import datetime

from flask import Flask
from flask_babel import format_datetime, get_locale
from flask_login import current_user

from . import markdown
from .auth.forms import EmptyForm


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = markdown.render
    app.jinja_env.globals["get_locale"] = get_locale
    app.json.ensure_ascii = False  # readable Chinese in API answers

    @app.template_filter("when")
    def when(value: datetime | None) -> str:
        return "" if value is None else format_datetime(value, "yyyy-MM-dd HH:mm")

    @app.context_processor
    def common():
        return {"post_form": EmptyForm(), "me": current_user}
